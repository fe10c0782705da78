// rpa record --desktop [--out FILE] [--id ID] [--name NAME] [--launch "PROGRAM ARGS…"]
// Records clicks and typing in desktop programs until Ctrl+C, then saves the automation with
// its image targets beside it. --launch starts the program and records that as the first step,
// so replay starts it too. Checks are added by typing a command here (the terminal's own window
// is never recorded): text, open, closed, clipboard.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/api.js';
import { RpaError, UsageError } from '../../engine/errors.js';
import { describeStep } from '../../engine/runner/describe-step.js';
import { DesktopRecorder, type RecordedAssertion } from '../../recorder/desktop/recorder.js';
import { parseOrUsage } from '../args.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('record');

/** The commands typed here while recording, and the assertion each adds. */
const COMMANDS: Record<string, RecordedAssertion> = { text: 'text', t: 'text', open: 'windowOpen', o: 'windowOpen', closed: 'windowClosed', x: 'windowClosed', clipboard: 'clipboard', c: 'clipboard' };
const HELP = [
  'Add a check by typing here, then Enter:',
  '  text (t)       the text under the pointer, in the window of your last click, must be there',
  '  open (o)       the window of your last click must be open',
  '  closed (x)     the window of your last click must be closed',
  '  clipboard (c)  the clipboard must hold what it holds now',
  'Before typing a password: secret NAME   (what you type next is recorded as {{secrets.NAME}}, never kept)',
].join('\n');

/** Splits a command line into words as a POSIX shell would for plain words, '…', "…" and \ escapes (no expansion). */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && /["\\$`]/.test(line[index + 1] ?? '')) word += line[++index]!;
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (char === '\\' && index + 1 < line.length) {
      word = (word ?? '') + line[++index]!;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote) throw new UsageError(`--launch: the quote ${quote} is not closed`);
  if (word !== undefined) words.push(word);
  return words;
}

export async function main(args: string[]): Promise<number> {
  const { values } = parseOrUsage(
    () => parseArgs({ args, options: { out: { type: 'string', short: 'o' }, id: { type: 'string' }, name: { type: 'string' }, launch: { type: 'string' }, secret: { type: 'string', multiple: true } } }),
    USAGE,
  );
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const out = values.out ?? `desktop-recording-${stamp}.json`;
  const id = values.id ?? `desktop-recording-${stamp}`;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new UsageError(`--id "${id}": expected lower-case letters, digits, ".", "_" or "-"`);
  if (existsSync(out)) throw new UsageError(`${out} exists already; choose another --out`);
  const command = values.launch === undefined ? undefined : splitCommand(values.launch);
  if (command && !command.length) throw new UsageError(`--launch: give the program to start, e.g. --launch "gnome-calculator"\nusage: ${USAGE}`);
  // Secrets to recognise when typed: their values from the vault (or RPA_SECRET_<NAME>), kept in memory only.
  const names = values.secret ?? [];
  for (const name of names) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--secret "${name}": use letters, digits and "_", starting with a letter`);
  let secrets: Record<string, string> = {};
  if (names.length) {
    const engine = Engine.open();
    try {
      secrets = Object.fromEntries(engine.secretValues(names, 'rpa record --desktop'));
    } finally {
      engine.close();
    }
  }
  const recorder = await DesktopRecorder.start({
    secrets,
    out,
    id,
    ...(values.name ? { name: values.name } : {}),
    ...(command ? { launch: { program: command[0]!, args: command.slice(1) } } : {}),
    onStep: (step, index) => console.log(`${String(index + 1).padStart(3)}. ${describeStep(step)}`),
    onProblem: (message) => console.log(`     warning: ${message}`),
  });
  console.error(`Recording the desktop. Work in your program; press Ctrl+C here to stop and save to ${out}.\n${HELP}`);
  const lines = createInterface({ input: process.stdin, terminal: false });
  // Checks are added one at a time, in the order typed.
  let checks = Promise.resolve();
  lines.on('line', (line) => {
    const word = line.trim().toLowerCase();
    if (!word) return;
    const secret = /^secret\s+(\S+)$/i.exec(line.trim());
    if (secret) {
      try {
        recorder.markSecret(secret[1]!);
        console.error(`what you type next in the program is recorded as {{secrets.${secret[1]}}}`);
      } catch (error) {
        console.error(`not marked: ${(error as Error).message}`);
      }
      return;
    }
    const kind = COMMANDS[word];
    if (!kind) {
      console.error(`unknown command "${word}". ${HELP}`);
      return;
    }
    checks = checks.then(() =>
      recorder.addAssertion(kind).then(
        () => undefined,
        (error: unknown) => console.error(`not added: ${error instanceof RpaError ? error.message : String(error)}`),
      ),
    );
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  lines.close();
  await checks;
  const { file, automation } = await recorder.stop();
  console.error(`Saved ${automation.steps.length} steps to ${file}`);
  return 0;
}
