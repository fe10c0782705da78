// rpa record --desktop [--out FILE] [--id ID] [--name NAME]
// Records clicks and typing in desktop programs until Ctrl+C, then saves the automation with
// its image targets beside it.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { describeStep } from '../../engine/runner/describe-step.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { parseOrUsage } from '../args.js';

const USAGE = 'rpa record --desktop [--out FILE] [--id ID] [--name NAME]';

export async function main(args: string[]): Promise<number> {
  const { values } = parseOrUsage(() => parseArgs({ args, options: { out: { type: 'string', short: 'o' }, id: { type: 'string' }, name: { type: 'string' } } }), USAGE);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const out = values.out ?? `desktop-recording-${stamp}.json`;
  const id = values.id ?? `desktop-recording-${stamp}`;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new UsageError(`--id "${id}": expected lower-case letters, digits, ".", "_" or "-"`);
  if (existsSync(out)) throw new UsageError(`${out} exists already; choose another --out`);
  const recorder = await DesktopRecorder.start({
    out,
    id,
    ...(values.name ? { name: values.name } : {}),
    onStep: (step, index) => console.log(`${String(index + 1).padStart(3)}. ${describeStep(step)}`),
    onProblem: (message) => console.error(`warning: ${message}`),
  });
  console.error(`Recording the desktop. Work in your program; press Ctrl+C here to stop and save to ${out}.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const { file, automation } = await recorder.stop();
  console.error(`Saved ${automation.steps.length} steps to ${file}`);
  return 0;
}
