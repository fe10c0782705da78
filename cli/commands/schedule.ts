// rpa schedule add|list|remove|pause|resume — edits the schedules in the run store, through
// the running engine host when there is one (its scheduler sees the change at once, and its
// machine policy decides), else in the store itself (a host started later picks them up).
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import path from 'node:path';
import type { CliApi, ScheduleRecord } from '../../engine/host/cli-api.js';
import { nextFireTimes } from '../../engine/schedule/cron.js';
import type { OverlapPolicy } from '../../engine/schedule/schedule-store.js';
import { parseInputs, parseOrUsage } from '../args.js';
import { withEngine } from '../engine-api.js';
import { color } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('schedule');

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** 90s, 30m, 1h30m, 2d, 500ms → milliseconds. */
export function parseDuration(text: string): number {
  const compact = text.replace(/\s+/g, '');
  let total = 0;
  for (const [, n, unit] of compact.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(n) * UNITS[unit!]!;
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(compact) || total < 1) {
    throw new UsageError(`--max-run ${text}: expected a duration such as 90s, 30m, 1h30m or 2d`);
  }
  return Math.round(total);
}


function oneOf<T extends string>(flag: string, value: string | undefined, allowed: Record<string, T>): T | undefined {
  if (value === undefined) return undefined;
  const v = allowed[value];
  if (v === undefined) throw new UsageError(`--${flag} ${value}: expected ${Object.keys(allowed).join(' or ')}`);
  return v;
}

function when(date: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(date);
  return text.replace(/\u2212/g, '-');
}

async function add(args: string[], api: CliApi): Promise<void> {
  const { values, positionals } = parseOrUsage(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          cron: { type: 'string' },
          tz: { type: 'string' },
          input: { type: 'string', short: 'i', multiple: true },
          overlap: { type: 'string' },
          'max-concurrent': { type: 'string' },
          missed: { type: 'string' },
          'max-run': { type: 'string' },
          name: { type: 'string' },
        },
      }),
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`expected one automation file, got ${positionals.length}\nusage: ${USAGE}`);
  if (values.cron === undefined) throw new UsageError(`--cron "EXPR" is required, e.g. --cron "0 9 * * 1-5"\nusage: ${USAGE}`);
  const maxConcurrent = values['max-concurrent'] === undefined ? undefined : Number(values['max-concurrent']);
  if (maxConcurrent !== undefined && !(Number.isInteger(maxConcurrent) && maxConcurrent >= 1)) {
    throw new UsageError(`--max-concurrent expects a whole number of at least 1, got ${values['max-concurrent']}`);
  }
  const overlap =
    oneOf<OverlapPolicy>('overlap', values.overlap, { skip: 'skip', queue: 'queue', allow: 'allow' }) ??
    (maxConcurrent !== undefined && maxConcurrent > 1 ? 'allow' : undefined);
  const given = parseInputs(values.input ?? [], USAGE);
  // The host (or this process) checks the policy and the automation, and prepares the inputs.
  const s = (await api.call('cli.schedules.add', {
    file: path.resolve(positionals[0]!),
    cron: values.cron,
    inputs: given,
    cwd: process.cwd(),
    ...(values.tz !== undefined ? { timeZone: values.tz } : {}),
    ...(overlap ? { overlap } : {}),
    ...(maxConcurrent !== undefined ? { maxConcurrent } : {}),
    ...(values.missed !== undefined ? { missed: oneOf('missed', values.missed, { 'run-once': 'runOnce', skip: 'skip' } as const)! } : {}),
    ...(values['max-run'] !== undefined ? { maxRunMs: parseDuration(values['max-run']) } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
  })) as ScheduleRecord;
  console.log(`added schedule ${color.bold(s.id)}${s.name ? ` (${s.name})` : ''}: ${s.automationName ?? path.basename(s.file)}, "${s.cron}" in ${s.timeZone}`);
  console.log(`next: ${nextFireTimes(s.cron, s.timeZone, new Date(), 3).map((d) => when(d, s.timeZone)).join(', ')}`);
}

async function list(args: string[], api: CliApi): Promise<void> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } }), USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}\nusage: ${USAGE}`);
  const now = new Date();
  const schedules = (await api.call('cli.schedules.list', {})) as ScheduleRecord[];
  const next = (s: ScheduleRecord): Date[] => (s.paused ? [] : nextFireTimes(s.cron, s.timeZone, now, 3));
  if (values.json) {
    for (const s of schedules) {
      const { createdAt, lastFiredAt, ...rest } = s;
      const json = { ...rest, createdAt, lastFiredAt, nextFireTimes: next(s) };
      process.stdout.write(`${JSON.stringify(json)}\n`);
    }
    return;
  }
  if (!schedules.length) {
    console.log('no schedules; add one with rpa schedule add FILE --cron "EXPR"');
    return;
  }
  for (const s of schedules) {
    const state = s.paused ? color.yellow('paused') : color.green('active');
    console.log(`${color.bold(s.id)}${s.name ? ` ${s.name}` : ''}  ${state}  "${s.cron}"  ${s.timeZone}  overlap ${s.overlap}${s.overlap === 'allow' ? `×${s.maxConcurrent}` : ''}, missed ${s.missed === 'runOnce' ? 'run-once' : 'skip'}`);
    console.log(`  ${s.file}${Object.keys(s.inputs).length ? `  ${JSON.stringify(s.inputs)}` : ''}`);
    console.log(`  next: ${s.paused ? '— (paused)' : next(s).map((d) => when(d, s.timeZone)).join(', ') || 'never'}`);
  }
}

export async function main(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || !['add', 'list', 'remove', 'pause', 'resume'].includes(sub)) {
    throw new UsageError(`${sub ? `unknown sub-command "${sub}"` : 'expected a sub-command'}\nusage: ${USAGE}`);
  }
  if (sub !== 'add' && sub !== 'list' && rest.length !== 1) throw new UsageError(`expected one schedule id\nusage: ${USAGE}`);
  return await withEngine(`rpa schedule ${sub}`, 'rpa schedule list', async ({ api }) => {
    if (sub === 'add') await add(rest, api);
    else if (sub === 'list') await list(rest, api);
    else {
      // Adding or resuming a schedule needs a policy that allows schedules (checked where it is stored); removing never does.
      const schedule = rest[0]!;
      const s = (await (sub === 'remove' ? api.call('cli.schedules.remove', { schedule }) : api.call('cli.schedules.pause', { schedule, paused: sub === 'pause' }))) as ScheduleRecord;
      console.log(`${sub === 'remove' ? 'removed' : sub === 'pause' ? 'paused' : 'resumed'} schedule ${s.id}${s.name ? ` (${s.name})` : ''}`);
    }
    return 0;
  });
}
