// rpa secret set NAME | list [--json] | remove NAME
// A value is read from stdin (piped) or a hidden prompt (terminal), never from the command
// line, where shell history and the process list would keep it.
import { UsageError } from '../../engine/errors.js';
import { resolveHome } from '../../engine/home.js';
import { validateSecretName, type VaultEntry } from '../../engine/vault/vault.js';
import { withEngine } from '../engine-api.js';
import { formatTime } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('secret');

/** What readHidden needs of a terminal; process.stdin when it is a TTY. */
export interface HiddenInput extends NodeJS.ReadableStream {
  setRawMode(mode: boolean): unknown;
}

/** Reads one line without echoing it. Resolves undefined when the user cancels (Ctrl-C, Ctrl-D on an empty line). */
export function readHidden(prompt: string, input: HiddenInput, output: NodeJS.WritableStream): Promise<string | undefined> {
  output.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve) => {
    let value = '';
    const finish = (result: string | undefined): void => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(result);
    };
    const onData = (chunk: string | Buffer): void => {
      const text = String(chunk);
      // Arrow keys and the like arrive as escape sequences: ignore the whole sequence.
      if (text.startsWith('\u001b')) return;
      for (const char of text) {
        if (char === '\r' || char === '\n') return finish(value);
        if (char === '\u0003' || (char === '\u0004' && value === '')) return finish(undefined);
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The value to store, or undefined when the user cancelled the prompt. */
async function readValue(name: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) {
    // One trailing newline is what `echo` and editors add; anything else is part of the value.
    return (await readStdin()).replace(/\r?\n$/, '');
  }
  const input = process.stdin as HiddenInput;
  const first = await readHidden(`Value for secret ${name} (not shown): `, input, process.stderr);
  if (first === undefined || first === '') return first;
  const again = await readHidden('Repeat it: ', input, process.stderr);
  if (again === undefined) return undefined;
  if (again !== first) throw new UsageError('the two values differ; nothing stored');
  return first;
}

function nameArg(args: string[], verb: string): string {
  if (args.length === 0) throw new UsageError(`expected a secret name\nusage: ${USAGE}`);
  if (args.length > 1) {
    // Deliberately not echoed: the extra argument may well be the value itself.
    throw new UsageError(
      verb === 'set'
        ? `refusing to take a secret value from the command line (${args.length - 1} extra argument${args.length > 2 ? 's' : ''}): shell history and the process list would keep it. ` +
            `Pipe it in (rpa secret set NAME < file) or run the command in a terminal to be prompted`
        : `expected exactly one secret name\nusage: ${USAGE}`,
    );
  }
  const name = args[0]!;
  if (name.startsWith('-')) throw new UsageError(`unexpected option ${verb === 'set' ? '(options are not accepted here)' : name}\nusage: ${USAGE}`);
  try {
    validateSecretName(name);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return name;
}

export async function main(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'set') {
    const name = nameArg(rest, verb);
    const value = await readValue(name);
    if (value === undefined) {
      console.error('rpa secret: cancelled; nothing stored');
      return 130;
    }
    if (value === '') throw new UsageError(`no value given for secret "${name}": pipe it on stdin or run in a terminal to be prompted`);
    if (value.length < 2) throw new UsageError(`secret "${name}" is a single character; that cannot be kept out of logs safely`);
    // Through the running engine host when there is one: sealed with its vault key (the desktop
    // app's may live in the OS keychain), on its connection; else in the store itself.
    const { replaced, key } = (await withEngine('rpa secret set', 'rpa secret list', ({ api }) => api.call('cli.secrets.set', { name, value }))) as {
      replaced: boolean;
      key?: { description: string; note?: string };
    };
    console.log(`${replaced ? 'replaced' : 'stored'} secret "${name}" in the vault${key ? ` (vault key: ${key.description})` : ''}`);
    if (key?.note) console.error(`note: ${key.note}`);
    return 0;
  }
  if (verb === 'remove') {
    const name = nameArg(rest, verb);
    const { removed } = (await withEngine('rpa secret remove', 'rpa secret list', ({ api }) => api.call('cli.secrets.remove', { name }))) as { removed: boolean };
    if (removed) {
      console.log(`removed secret "${name}"`);
      return 0;
    }
    console.error(`rpa secret: no secret "${name}" in the vault (see: rpa secret list)`);
    return 1;
  }
  if (verb === 'list') {
    const json = rest.length === 1 && rest[0] === '--json';
    if (rest.length && !json) throw new UsageError(`unexpected argument\nusage: ${USAGE}`);
    const home = resolveHome();
    const entries = (await withEngine('rpa secret list', 'rpa secret list', ({ api }) => api.call('cli.secrets.list', {}))) as VaultEntry[];
    if (json) {
      for (const entry of entries) process.stdout.write(`${JSON.stringify(entry)}\n`);
    } else if (!entries.length) {
      console.log(`no secrets in the vault of ${home.dir} (add one with: rpa secret set NAME)`);
    } else {
      const width = Math.max(4, ...entries.map((e) => e.name.length));
      console.log(`${'NAME'.padEnd(width)}  UPDATED`);
      for (const entry of entries) console.log(`${entry.name.padEnd(width)}  ${formatTime(entry.updatedAt)}`);
    }
    return 0;
  }
  throw new UsageError(`${verb === undefined ? 'expected set, list or remove' : `unknown secret command "${verb}"`}\nusage: ${USAGE}`);
}
