// agent.json: what the agent watches besides schedules (which live in the store).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { formatJsonPath } from '../format/load.js';

export const AgentConfig = z.strictObject({
  folders: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[\w.-]+$/),
        folder: z.string().min(1),
        automation: z.string().min(1),
        input: z.string().min(1).describe('Automation input that receives the file path'),
        pattern: z.string().optional(),
        stableMs: z.number().int().min(0).optional(),
        pollMs: z.number().int().min(50).optional(),
        force: z.boolean().optional(),
        inputs: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .default([]),
  queues: z
    .array(
      z.strictObject({
        queue: z.string().min(1),
        automation: z.string().min(1),
        concurrency: z.number().int().min(1).max(16).default(1),
        leaseMs: z.number().int().min(1000).default(10 * 60_000),
        pollMs: z.number().int().min(50).default(1000),
        maxRunMs: z.number().int().min(1).optional(),
        /** The queue lives on this control server (central queue; the machine must be enrolled there), not in the local store. */
        server: z.url({ protocol: /^https?$/ }).optional().describe('Base URL of the control (audit) server whose central queue this is'),
      }),
    )
    .default([]),
  /** How often the machine policy is re-read; while it is invalid all work is paused. */
  policyCheckMs: z.number().int().min(50).default(2_000),
  /** How long a shutdown waits for running bots before cancelling them. */
  shutdownGraceMs: z.number().int().min(0).default(30_000),
});
export type AgentConfig = z.infer<typeof AgentConfig>;

/** Reads agent.json; relative paths in it are relative to the file. A missing file means schedules only. */
export function readAgentConfig(file: string, required = false): AgentConfig {
  if (!existsSync(file)) {
    if (required) throw new UsageError(`agent config ${file} does not exist`);
    return AgentConfig.parse({});
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: invalid JSON (${(error as Error).message})`);
  }
  const parsed = AgentConfig.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => `${file}: ${formatJsonPath(issue.path) || '(root)'}: ${issue.message}`).join('\n'));
  }
  const dir = path.dirname(path.resolve(file));
  const config = parsed.data;
  for (const folder of config.folders) {
    folder.folder = path.resolve(dir, folder.folder);
    folder.automation = path.resolve(dir, folder.automation);
  }
  for (const queue of config.queues) queue.automation = path.resolve(dir, queue.automation);
  return config;
}
