// rpa queue add|list|show|retry — durable work queues in the local run store (through the
// running engine host when there is one, else in the store itself), or with --server URL the
// central queues of the control server this machine is enrolled with.
// rpa queue group|grant|revoke — the control server's device groups and queue grants (admin).
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { UsageError } from '../../engine/errors.js';
import { resolveHome } from '../../engine/home.js';
import { openCentralQueue } from '../../engine/queue/central.js';
import { RemoteWorkQueue, type DeviceGroup } from '../../engine/queue/remote-work-queue.js';
import type { CliApi } from '../../engine/host/cli-api.js';
import { ITEM_STATES, isItemState, type AddedItem, type AddOptions, type HistoryEntry, type ItemError, type QueueItem, type QueueStats, type WorkQueue } from '../../engine/queue/types.js';
import { parseOrUsage } from '../args.js';
import { withEngine } from '../engine-api.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('queue');

/** Sub-commands of the control server only: no local store has device groups or grants. */
const SERVER_ONLY = new Set(['group', 'grant', 'revoke']);

/** What the sub-commands use of a queue: the local one through the CLI API, or a central one. */
type QueueCommands = Pick<WorkQueue, 'add' | 'addMany' | 'list' | 'stats' | 'get' | 'history' | 'retry'>;
type Sub = (args: string[], wq: QueueCommands) => Promise<number>;

/** The local queue through the CLI API: the engine host's connection, or this process's. */
function localQueue(api: CliApi): QueueCommands {
  const item = async (id: number): Promise<{ item: QueueItem | null; history: HistoryEntry[] }> => (await api.call('cli.queue.get', { id })) as { item: QueueItem | null; history: HistoryEntry[] };
  return {
    add: async (queue, payload, opts = {}) => (await api.call('cli.queue.add', { queue, payload, ...opts })) as AddedItem,
    addMany: async (queue, items) => (await api.call('cli.queue.addMany', { queue, items: [...items] })) as AddedItem[],
    list: async (opts = {}) => (await api.call('cli.queue.list', opts)) as QueueItem[],
    stats: async (queue) => (await api.call('cli.queue.stats', { queue })) as QueueStats,
    get: async (id) => (await item(id)).item ?? undefined,
    history: async (id) => (await item(id)).history,
    retry: async (id) => {
      const retried = (await api.call('cli.queue.retry', { id })) as QueueItem | null;
      if (!retried) throw new UsageError(`no item ${id}`);
      return retried;
    },
  };
}

/** --server URL / --server=URL, taken out of the arguments. */
function takeServer(args: string[]): { server: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let server: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--server') {
      server = args[++i];
      if (server === undefined || server.startsWith('--')) throw new UsageError(`--server expects the control server's URL, e.g. --server https://control.example.com:4790\nusage: ${USAGE}`);
    } else if (arg.startsWith('--server=')) {
      server = arg.slice('--server='.length);
    } else {
      rest.push(arg);
    }
  }
  return { server, rest };
}

function openRemoteQueue(server: string): RemoteWorkQueue {
  const token = process.env.RPA_SERVER_TOKEN?.trim();
  if (!token) return openCentralQueue(resolveHome(), server);
  try {
    return new RemoteWorkQueue({ serverUrl: server, token });
  } catch (error) {
    throw new UsageError(`--server ${server}: ${(error as Error).message}`);
  }
}

let where = '';

export async function main(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help' || (sub !== undefined && rest.some((arg) => arg === '--help' || arg === '-h'))) {
    console.log(`usage: ${USAGE}`);
    return 0;
  }
  const run = sub === undefined || !Object.hasOwn(SUBCOMMANDS, sub) ? undefined : SUBCOMMANDS[sub];
  if (!run) throw new UsageError(`${sub === undefined ? 'expected a sub-command' : `unknown sub-command "${sub}"`}\nusage: ${USAGE}`);
  const { server, rest: subArgs } = takeServer(rest);
  if (server === undefined && SERVER_ONLY.has(sub!)) {
    throw new UsageError(`rpa queue ${sub}: device groups and grants live on the control server: add --server URL (with RPA_SERVER_TOKEN set to an admin token)\nusage: ${USAGE}`);
  }
  where = server === undefined ? resolveHome().storeFile : server;
  if (server === undefined) return await withEngine(`rpa queue ${sub}`, 'rpa queue list', ({ api }) => run(subArgs, localQueue(api)));
  const wq = openRemoteQueue(server);
  try {
    return await run(subArgs, wq);
  } finally {
    await wq.close();
  }
}

const SUBCOMMANDS: Record<string, Sub> = {
  async add(args, wq) {
    const { values, positionals } = parse(args, { data: { type: 'string' }, csv: { type: 'string' }, key: { type: 'string' }, 'max-retries': { type: 'string' }, priority: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError(`expected one queue name\nusage: ${USAGE}`);
    const queue = positionals[0]!;
    if (values.data !== undefined && values.csv !== undefined) throw new UsageError('give --data or --csv, not both');
    const opts: AddOptions = {};
    if (values['max-retries'] !== undefined) opts.maxRetries = wholeNumber('--max-retries', values['max-retries'], 0);
    if (values.priority !== undefined) opts.priority = wholeNumber('--priority', values.priority, -Infinity);
    let added: AddedItem[];
    if (values.csv !== undefined) {
      const rows = readCsv(values.csv);
      const keyColumn = values.key;
      if (keyColumn !== undefined && rows[0] && !Object.hasOwn(rows[0], keyColumn)) {
        throw new UsageError(`--key ${keyColumn}: ${values.csv} has no column "${keyColumn}" (columns: ${Object.keys(rows[0]).join(', ')})`);
      }
      added = await wq.addMany(queue, rows.map((row) => ({ ...opts, payload: row, ...(keyColumn !== undefined && row[keyColumn] ? { idempotencyKey: row[keyColumn] } : {}) })));
    } else {
      if (values.key !== undefined) opts.idempotencyKey = values.key;
      added = [await wq.add(queue, values.data === undefined ? {} : parseJson(values.data), opts)];
    }
    if (values.json) {
      for (const item of added) process.stdout.write(`${JSON.stringify({ id: item.id, queue: item.queue, state: item.state, duplicate: item.duplicate })}\n`);
    } else if (added.length === 1 && values.csv === undefined) {
      const item = added[0]!;
      console.log(item.duplicate ? `item ${item.id} with key ${item.idempotencyKey ?? ''} is already in ${queue} (${item.state}): not added again` : `added item ${item.id} to ${queue}`);
    } else {
      const dupes = added.filter((i) => i.duplicate).length;
      console.log(`added ${added.length - dupes} items to ${queue}${dupes ? ` (${dupes} already there by key: not added again)` : ''}`);
    }
    return 0;
  },

  async list(args, wq) {
    const { values, positionals } = parse(args, { state: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}\nusage: ${USAGE}`);
    const queue = positionals[0];
    const state = values.state;
    if (state !== undefined && !isItemState(state)) throw new UsageError(`unknown state "${state}": expected one of ${ITEM_STATES.join(', ')}`);
    const limit = values.limit === undefined ? 100 : wholeNumber('--limit', values.limit, 1);
    const items = await wq.list({ ...(queue !== undefined && { queue }), ...(state !== undefined && { state }), limit });
    if (values.json) {
      for (const item of items) process.stdout.write(`${JSON.stringify(toJson(item))}\n`);
      return 0;
    }
    if (!items.length) {
      console.log(`no ${state ?? ''}${state ? ' ' : ''}items${queue !== undefined ? ` in queue ${queue}` : ''}`);
    } else {
      console.log(`${'ID'.padStart(6)}  ${'QUEUE'.padEnd(16)}  ${'STATE'.padEnd(11)}  TRIES  ${'UPDATED'.padEnd(24)}  PAYLOAD`);
      for (const i of items) {
        const payload = JSON.stringify(i.payload);
        console.log(`${String(i.id).padStart(6)}  ${i.queue.padEnd(16)}  ${i.state.padEnd(11)}  ${String(i.attempts).padStart(5)}  ${iso(i.updatedAt).padEnd(24)}  ${payload.length > 60 ? `${payload.slice(0, 59)}…` : payload}`);
      }
    }
    if (queue === undefined && wq instanceof RemoteWorkQueue) {
      const queues = await wq.queues();
      console.log(queues.length ? `\nqueues on ${where}:` : `\nno queues on ${where} this token may see`);
      for (const q of queues) console.log(`  ${q.name.padEnd(16)}  ${ITEM_STATES.map((s) => `${q.stats[s] ?? 0} ${s}`).join(', ')}`);
    }
    if (queue !== undefined) {
      const stats = await wq.stats(queue);
      console.log(`\n${queue}: ${ITEM_STATES.map((s) => `${stats[s]} ${s}`).join(', ')}`);
    }
    return 0;
  },

  async show(args, wq) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } });
    const id = itemId(positionals);
    const item = await wq.get(id);
    if (!item) return notFound(id);
    const history = await wq.history(id);
    if (values.json) {
      console.log(JSON.stringify({ ...toJson(item), history: history.map((h) => ({ ...h, ts: iso(h.ts) })) }, null, 2));
      return 0;
    }
    const due = item.state === 'retrying' ? `, next attempt ${iso(item.nextAttemptAt)}` : '';
    const lease = item.state === 'in_progress' ? `, leased by ${item.worker ?? '?'} until ${iso(item.leaseExpiresAt!)}` : '';
    const lines = [
      `item ${item.id} in queue ${item.queue}`,
      `  state       ${item.state}${due}${lease}`,
      `  attempts    ${item.attempts} (at most ${item.maxRetries + 1})`,
      `  key         ${item.idempotencyKey ?? '—'}`,
      `  priority    ${item.priority}`,
      `  added       ${iso(item.createdAt)}`,
      `  last error  ${item.lastError ? errorText(item.lastError) : '—'}`,
      `  payload     ${indent(JSON.stringify(item.payload, null, 2))}`,
      ...(item.output !== null ? [`  output      ${indent(JSON.stringify(item.output, null, 2))}`] : []),
      '  history',
      ...history.map(historyLine),
    ];
    console.log(lines.join('\n'));
    return 0;
  },

  async group(args, wq) {
    const [action, ...rest] = args;
    const remote = wq as RemoteWorkQueue;
    if (action === 'list') {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}\nusage: ${USAGE}`);
      const groups = await remote.groups();
      if (values.json) {
        for (const group of groups) process.stdout.write(`${JSON.stringify(group)}\n`);
      } else if (groups.length === 0) {
        console.log(`no device groups on ${where}`);
      } else {
        for (const group of groups) {
          console.log(`${group.name}`);
          console.log(`  devices  ${group.devices.length ? group.devices.join(', ') : '—'}`);
          console.log(`  queues   ${group.queues.length ? group.queues.join(', ') : '—'}`);
        }
      }
      return 0;
    }
    if (action === 'create') {
      const name = groupName(parse(rest, {}).positionals, 1)[0]!;
      await remote.createGroup(name);
      console.log(`created device group ${name} on ${where}`);
      return 0;
    }
    if (action === 'add' || action === 'remove') {
      const [name, ...devices] = groupName(parse(rest, {}).positionals, 2);
      let group: DeviceGroup | undefined;
      for (const deviceId of devices) group = action === 'add' ? await remote.addToGroup(name!, deviceId) : await remote.removeFromGroup(name!, deviceId);
      console.log(`${action === 'add' ? 'added' : 'removed'} ${devices.join(', ')} ${action === 'add' ? 'to' : 'from'} device group ${name}; in it now: ${group!.devices.length ? group!.devices.join(', ') : 'no device'}`);
      return 0;
    }
    throw new UsageError(`${action === undefined ? 'rpa queue group: expected list, create, add or remove' : `rpa queue group: unknown action "${action}"`}\nusage: ${USAGE}`);
  },

  async grant(args, wq) {
    const { queue, to } = grantArgs('grant', args);
    await (wq as RemoteWorkQueue).grant(queue, to);
    console.log(`granted queue ${queue} to ${'group' in to ? `device group ${to.group} (every device in it)` : `device ${to.deviceId}`}`);
    return 0;
  },

  async revoke(args, wq) {
    const { queue, to } = grantArgs('revoke', args);
    await (wq as RemoteWorkQueue).revoke(queue, to);
    console.log(`revoked queue ${queue} from ${'group' in to ? `device group ${to.group}` : `device ${to.deviceId}`}`);
    return 0;
  },

  async retry(args, wq) {
    const id = itemId(parse(args, {}).positionals);
    if (!(await wq.get(id))) return notFound(id);
    const item = await wq.retry(id);
    console.log(`item ${item.id} in ${item.queue} is new again (attempts reset; history kept)`);
    return 0;
  },
};

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  return parseOrUsage(() => parseArgs({ args, allowPositionals: true, options }), USAGE);
}

/** GROUP (and, with at least 2, DEVICE_ID...) from the positionals. */
function groupName(positionals: string[], atLeast: 1 | 2): string[] {
  if (positionals.length < atLeast || (atLeast === 1 && positionals.length > 1)) {
    throw new UsageError(`${atLeast === 1 ? 'expected one group name' : 'expected a group name and at least one device id'}\nusage: ${USAGE}`);
  }
  return positionals;
}

function grantArgs(sub: 'grant' | 'revoke', args: string[]): { queue: string; to: { deviceId: string } | { group: string } } {
  const { values, positionals } = parse(args, { device: { type: 'string' }, group: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError(`rpa queue ${sub}: expected one queue name\nusage: ${USAGE}`);
  if ((values.device === undefined) === (values.group === undefined)) throw new UsageError(`rpa queue ${sub}: give --device DEVICE_ID or --group GROUP (one of them)\nusage: ${USAGE}`);
  return { queue: positionals[0]!, to: values.group !== undefined ? { group: values.group } : { deviceId: values.device! } };
}

function wholeNumber(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} expects a whole number${min > -Infinity ? ` ≥ ${min}` : ''}, got ${text}`);
  return n;
}

function itemId(positionals: string[]): number {
  if (positionals.length !== 1) throw new UsageError(`expected one item id\nusage: ${USAGE}`);
  return wholeNumber('item id', positionals[0]!, 1);
}

function notFound(id: number): number {
  console.error(`rpa queue: no item ${id} in ${where} (see: rpa queue list)`);
  return 1;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--data is not valid JSON (${(error as Error).message}); e.g. --data '{"invoice":"A-1"}'`);
  }
}

function readCsv(file: string): Array<Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--csv ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let rows: Array<Record<string, string>>;
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (error) {
    throw new UsageError(`--csv ${file}: not valid CSV (${(error as Error).message})`);
  }
  if (!rows.length) throw new UsageError(`--csv ${file}: no rows below the header; nothing to add`);
  return rows;
}

function toJson(item: QueueItem): Record<string, unknown> {
  return { ...item, nextAttemptAt: iso(item.nextAttemptAt), leaseExpiresAt: item.leaseExpiresAt === null ? null : iso(item.leaseExpiresAt), createdAt: iso(item.createdAt), updatedAt: iso(item.updatedAt) };
}

function historyLine(h: HistoryEntry): string {
  const parts = [`    ${iso(h.ts)}  ${(h.from ?? '—').padEnd(11)} → ${h.to.padEnd(11)}  attempt ${h.attempt}`];
  if (h.worker) parts.push(`by ${h.worker}`);
  if (h.actor && h.actor !== `device:${h.worker ?? ''}`) parts.push(`(${h.actor})`);
  if (h.error) parts.push(`— ${errorText(h.error)}`);
  return parts.join('  ');
}

function errorText(e: ItemError): string {
  return `${e.kind} ${e.name}: ${e.message}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function indent(text: string): string {
  return text.replaceAll('\n', '\n              ');
}
