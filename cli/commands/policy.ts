// rpa policy [show] [--json]   the machine policy in effect and every setting with its source
// rpa policy check FILE        validate a policy file before IT deploys it
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { readSettings, resolveHome } from '../../engine/home.js';
import { effectiveSettings, type EffectiveSetting } from '../../engine/policy/effective.js';
import { loadPolicy, parsePolicy } from '../../engine/policy/policy.js';
import { readSyncConfig } from '../../engine/sync/sync-client.js';
import { parseOrUsage } from '../args.js';
import { color } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('policy');

function valueText(value: EffectiveSetting['value']): string {
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  return String(value);
}

export function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } }), USAGE);
  const [sub = 'show', ...rest] = positionals;
  if (sub === 'check') {
    if (rest.length !== 1) throw new UsageError(`expected one policy file\nusage: ${USAGE}`);
    const file = path.resolve(rest[0]!);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const state = parsePolicy(text, file);
    if (state.status !== 'ok') {
      console.error(`${color.red('✗')} ${state.status === 'invalid' ? state.error.problems.map((p) => `${file}: ${p}`).join('\n  ') : file}`);
      return Promise.resolve(2);
    }
    console.log(`${color.green('✓')} ${file} is a valid policy`);
    return Promise.resolve(0);
  }
  if (sub !== 'show' || rest.length) throw new UsageError(`unknown sub-command "${sub}"\nusage: ${USAGE}`);
  const home = resolveHome();
  const state = loadPolicy();
  const sync = readSyncConfig(home);
  let settings = {};
  try {
    settings = readSettings(home);
  } catch (error) {
    console.error(`warning: ${(error as Error).message}`);
  }
  const view = effectiveSettings(state, { settings, ...(sync ? { enrolledServer: sync.serverUrl } : {}) });
  if (values.json) {
    console.log(JSON.stringify(view, null, 2));
  } else {
    const p = view.policy;
    if (p.status === 'none') console.log(`machine policy: none (${p.file} does not exist); user settings apply`);
    else if (p.status === 'invalid') console.log(`machine policy: ${color.red('INVALID')} — no bot runs until it is fixed\n  ${p.error}`);
    else console.log(`machine policy: ${p.file}${p.owner ? ` (${p.owner})` : ''}, changed ${p.modifiedAt}`);
    const width = Math.max(...view.settings.map((s) => s.label.length));
    for (const s of view.settings) console.log(`  ${s.label.padEnd(width)}  ${valueText(s.value)}  ${color.dim(`[${s.source}]`)}`);
  }
  return Promise.resolve(state.status === 'invalid' ? 4 : 0);
}
