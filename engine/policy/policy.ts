// The machine-wide policy IT deploys: one JSON file at the operating system's standard
// location, written by an administrator and only read here. It decides which audit server the
// machine reports to, whether automations must be signed (and by whom), which model endpoints
// may be called, whether staff may record, whether schedules may run, whether failure
// screenshots may be uploaded, and where updates come from. A policy that is present but invalid makes the engine refuse to run bots (fail closed).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RpaError } from '../errors.js';
import { parsePublicKey } from '../package/keys.js';

export const POLICY_ENV = 'RPA_POLICY_FILE';

/** Where each operating system keeps machine-wide configuration that users cannot write. */
export function defaultPolicyFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.win32.join(env['ProgramData'] || env['PROGRAMDATA'] || 'C:\\ProgramData', 'RPA Studio', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/RPA Studio/policy.json';
  return '/etc/rpa-studio/policy.json';
}

/** The policy file in effect: RPA_POLICY_FILE (tests, packaged images) or the OS location. */
export function policyFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env[POLICY_ENV];
  return override ? path.resolve(override) : defaultPolicyFile(env, platform);
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const TrustedPublisher = z.strictObject({
  name: z.string().min(1).max(200),
  publicKey: z
    .string()
    .min(40, 'expected an Ed25519 public key: SPKI PEM or base64 of its DER')
    .describe('The publisher key (the content of the .pub file rpa keygen writes, or base64 of its DER).')
    .refine(isEd25519PublicKey, 'expected an Ed25519 public key: SPKI PEM or base64 of its DER'),
});

function isEd25519PublicKey(text: string): boolean {
  try {
    parsePublicKey(text);
    return true;
  } catch {
    return false;
  }
}

export const Policy = z.strictObject({
  version: z.literal(1, 'expected "version": 1'),
  /** Free text shown in the UI next to policy-controlled settings (e.g. "Finance IT, ticket 4711"). */
  owner: z.string().max(200).optional(),
  auditServer: z
    .strictObject({
      url: httpUrl,
      /** Lets the machine enroll itself; kept in the policy file only (never logged, never shown). */
      enrollmentToken: z.string().min(16, 'an enrollment token has at least 16 characters').optional(),
    })
    .optional(),
  automations: z
    .strictObject({
      requireSigned: z.boolean(),
      trustedPublishers: z.array(TrustedPublisher).default([]),
    })
    .refine((a) => !a.requireSigned || a.trustedPublishers.length > 0, { message: 'requireSigned needs at least one trusted publisher', path: ['trustedPublishers'] })
    .optional(),
  models: z
    .strictObject({
      /** URL prefixes model calls may go to; [] allows none. Replaces the user's own list. */
      allowedEndpoints: z.array(httpUrl),
    })
    .optional(),
  recorder: z.strictObject({ enabled: z.boolean() }).optional(),
  schedules: z.strictObject({ allowed: z.boolean() }).optional(),
  /**
   * The screenshot a run takes when a step fails (with secret fields masked) may go to the
   * audit server with the run's records, for auditors to see. Off unless IT turns it on: such
   * a picture shows whatever the bot's screen showed.
   */
  failureScreenshots: z.strictObject({ upload: z.boolean() }).optional(),
  updates: z
    .strictObject({
      enabled: z.boolean().default(true),
      feedUrl: httpUrl,
      channel: z.string().regex(/^[a-z0-9-]+$/, 'expected a channel name like "latest" or "beta"').default('latest'),
      rolloutPercent: z.number().int().min(0).max(100).default(100),
    })
    .optional(),
});
export type Policy = z.infer<typeof Policy>;
export type TrustedPublisher = z.infer<typeof TrustedPublisher>;

/** The policy file could not be read or is not a valid policy: bots must not run. */
export class PolicyInvalidError extends RpaError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`machine policy ${file} is invalid, so no bot may run until IT fixes it: ${problems.join('; ')}`);
  }
}

/** A run, recording or schedule the policy forbids. */
export class PolicyViolationError extends RpaError {}

export type PolicyState =
  | { status: 'none'; file: string }
  | { status: 'ok'; file: string; policy: Policy; modifiedAt: string }
  | { status: 'invalid'; file: string; error: PolicyInvalidError };

/** Reads the policy in effect. Never throws: an unreadable or invalid file is `invalid`. */
export function loadPolicy(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): PolicyState {
  const file = policyFile(env, platform);
  let text: string;
  let modifiedAt: string;
  try {
    text = readFileSync(file, 'utf8');
    modifiedAt = statSync(file).mtime.toISOString();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No file is the normal case on an unmanaged machine. The override must exist, though:
    // a test or image that names a policy file and loses it must not silently run unmanaged.
    if (code === 'ENOENT' && !env[POLICY_ENV]) return { status: 'none', file };
    return { status: 'invalid', file, error: new PolicyInvalidError(file, [code === 'ENOENT' ? `${POLICY_ENV} names a file that does not exist` : `cannot read it (${code ?? (error as Error).message})`]) };
  }
  return parsePolicy(text, file, modifiedAt);
}

export function parsePolicy(text: string, file: string, modifiedAt = new Date(0).toISOString()): PolicyState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { status: 'invalid', file, error: new PolicyInvalidError(file, [`not valid JSON (${(error as Error).message})`]) };
  }
  const parsed = Policy.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return { status: 'invalid', file, error: new PolicyInvalidError(file, problems) };
  }
  return { status: 'ok', file, policy: parsed.data, modifiedAt };
}

/** The policy, or undefined when there is none; throws PolicyInvalidError when it is invalid. */
export function requirePolicy(state: PolicyState): Policy | undefined {
  if (state.status === 'invalid') throw state.error;
  return state.status === 'ok' ? state.policy : undefined;
}
