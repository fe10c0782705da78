// rpa record [URL] [--out FILE] [--id ID] [--name NAME]
// Opens the installed browser headed with the recorder injected, prints each step as it is
// recorded, and saves (validated) when the person presses Stop, closes the browser or Ctrl+C.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { readSettings, resolveHome } from '../../engine/home.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { startRecording } from '../../recorder/api.js';
import { missingDisplay, noDisplayMessage } from '../../engine/runner/display.js';
import { assertRecorderAllowed } from '../../engine/policy/effective.js';
import { loadPolicy } from '../../engine/policy/policy.js';
import { describeRecordedStep } from '../../recorder/describe.js';
import { checkOutputFree, saveRecording } from '../../recorder/save.js';
import { parseOrUsage } from '../args.js';
import { color } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('record');

function timestamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

function normalizeUrl(raw: string): string {
  const url = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `http://${raw}`;
  try {
    return new URL(url).href;
  } catch {
    throw new UsageError(`"${raw}" is not a URL\nusage: ${USAGE}`);
  }
}

export async function main(args: string[]): Promise<number> {
  // The machine policy may turn the recorder off for staff (and an invalid policy allows nothing).
  assertRecorderAllowed(loadPolicy());
  if (args.includes('--desktop')) return (await import('./record-desktop.js')).main(args.filter((arg) => arg !== '--desktop'));
  const { values, positionals } = parseOrUsage(
    () => parseArgs({ args, allowPositionals: true, options: { out: { type: 'string', short: 'o' }, id: { type: 'string' }, name: { type: 'string' } } }),
    USAGE,
  );
  if (positionals.length > 1) throw new UsageError(`expected at most one URL, got ${positionals.length}\nusage: ${USAGE}`);
  const stamp = timestamp();
  const out = values.out ?? `recording-${stamp}.json`;
  const id = values.id ?? `recording-${stamp}`;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new UsageError(`--id "${id}": expected lower-case letters, digits, ".", "_" or "-"`);
  checkOutputFree(out);
  const noDisplay = missingDisplay();
  if (noDisplay) {
    console.error(`rpa record: ${noDisplayMessage(noDisplay, 'rpa record …')}`);
    return 2;
  }
  const url = positionals[0] === undefined ? undefined : normalizeUrl(positionals[0]);
  const settings = readSettings(resolveHome());
  const executablePath = findBrowser({ configured: settings.browser?.executablePath });

  const printed = new Set<number>();
  const session = await startRecording({
    executablePath,
    headless: false,
    id,
    ...(url ? { url } : {}),
    ...(values.name ? { name: values.name } : {}),
    onStep: (step, index) => {
      const again = printed.has(index);
      printed.add(index);
      console.log(`${color.dim(`${String(index + 1).padStart(3)}.`)} ${describeRecordedStep(step)}${again ? color.dim(' (updated)') : ''}`);
    },
    onWarning: (message) => console.log(color.red(`     warning: ${message}`)),
  });
  // Listen for Ctrl+C before saying it works: a signal before the listener would kill the process unsaved.
  const interrupted = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('Ctrl+C'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  console.log(color.dim('Recording. Use the toolbar in the page to pause, add checks, or stop; Ctrl+C or closing the browser also stops and saves.'));
  const why = await Promise.race([session.ended.then((reason) => (reason === 'toolbar' ? 'the toolbar' : 'the browser closed')), interrupted]);
  const automation = await session.stop();
  const loaded = saveRecording(automation, out);
  const file = path.relative(process.cwd(), loaded.file) || loaded.file;
  console.log(`\nStopped (${why}). Saved ${automation.steps.length} steps to ${file} ${color.green('✓ valid')}`);
  for (const warning of session.warnings()) console.log(color.red(`  warning: ${warning}`));
  for (const secret of automation.secrets ?? []) console.log(`  needs secret ${secret}: rpa secret set ${secret}  (or RPA_SECRET_${secret.toUpperCase()})`);
  for (const input of automation.inputs ?? []) if (input.type === 'file') console.log(`  file input ${input.name} defaults to ${String(input.default)} next to the file; or pass --input ${input.name}=PATH`);
  console.log(`Replay it: rpa run ${file}`);
  return 0;
}
