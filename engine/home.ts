// Where rpa keeps its data: the run store, artifacts and settings. RPA_HOME overrides the
// per-user default so tests and several robots on one machine keep apart.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { RpaError } from './errors.js';
import { ModelsSettings } from './ai/settings.js';

export interface RpaHome {
  dir: string;
  storeFile: string;
  artifactsDir: string;
  settingsFile: string;
}

export function defaultHomeDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'RPA Studio');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'RPA Studio');
  return path.join(env['XDG_DATA_HOME'] || path.join(os.homedir(), '.local', 'share'), 'rpa-studio');
}

export function resolveHome(env: NodeJS.ProcessEnv = process.env): RpaHome {
  const dir = path.resolve(env['RPA_HOME'] || defaultHomeDir(env));
  makePrivateDir(dir);
  return {
    dir,
    storeFile: path.join(dir, 'runs.db'),
    artifactsDir: path.join(dir, 'artifacts'),
    settingsFile: path.join(dir, 'settings.json'),
  };
}

/**
 * The data folder holds run logs, inputs, screenshots of the systems bots work in and the
 * encrypted vault: only its owner may look inside. Created 0700 (its parents as usual), and
 * tightened when it exists with wider rights and belongs to this user (never someone else's).
 */
export function makePrivateDir(dir: string, platform: NodeJS.Platform = process.platform): void {
  mkdirSync(path.dirname(dir), { recursive: true });
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (platform === 'win32') return; // per-user profile folders carry their own ACLs
  const stat = statSync(dir);
  if ((stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) chmodSync(dir, 0o700);
}

export const Settings = z.strictObject({
  browser: z
    .strictObject({
      executablePath: z.string().optional(),
      headless: z.boolean().optional(),
      /** Longest the browser may take to start, in ms (default 60000; RPA_BROWSER_LAUNCH_TIMEOUT_MS overrides). */
      launchTimeoutMs: z.number().int().min(1_000).max(3_600_000).optional(),
    })
    .optional(),
  models: ModelsSettings.optional(),
});
export type Settings = z.infer<typeof Settings>;

export function readSettings(home: RpaHome): Settings {
  if (!existsSync(home.settingsFile)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(home.settingsFile, 'utf8'));
  } catch (error) {
    throw new RpaError(`${home.settingsFile}: invalid JSON (${(error as Error).message}); fix or delete the file`);
  }
  const parsed = Settings.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new RpaError(`${home.settingsFile}: ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
