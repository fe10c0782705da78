// rpa heal FILE --run RUN_ID [--yes]: writes the locators a run healed back into the file.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/api.js';
import { AutomationInvalidError, UsageError } from '../../engine/errors.js';
import { loadAutomation } from '../../engine/format/load.js';
import { describeLocator } from '../../engine/runner/playwright-locator.js';
import { parseOrUsage } from '../args.js';
import { color } from '../format.js';
import { planHealUpdates, type FileUpdate, type HealedStep } from '../heal-plan.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('heal');

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.on('close', () => resolve(''));
      rl.question(question).then(resolve, () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Writes the new text beside the file (so relative paths resolve) and validates it with the loader. */
function stage(update: FileUpdate): string {
  const temporary = path.join(path.dirname(update.file), `.${path.basename(update.file)}.heal-${process.pid}.json`);
  writeFileSync(temporary, update.text);
  try {
    loadAutomation(temporary);
  } catch (error) {
    rmSync(temporary, { force: true });
    if (error instanceof AutomationInvalidError) throw new AutomationInvalidError(error.issues.map((issue) => ({ ...issue, file: update.file })));
    throw error;
  }
  return temporary;
}

/** Every file validated first, then each swapped in by rename: nothing half-written. */
function writeAll(updates: FileUpdate[]): void {
  const staged: string[] = [];
  try {
    for (const update of updates) staged.push(stage(update));
  } catch (error) {
    for (const temporary of staged) rmSync(temporary, { force: true });
    throw error;
  }
  updates.forEach((update, i) => renameSync(staged[i]!, update.file));
}

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () => parseArgs({ args, allowPositionals: true, options: { run: { type: 'string' }, yes: { type: 'boolean', short: 'y' } } }),
    USAGE,
  );
  if (positionals.length !== 1 || !values.run) throw new UsageError(`expected one automation file and --run RUN_ID\nusage: ${USAGE}`);
  const file = path.resolve(positionals[0]!);
  loadAutomation(file); // a broken file is reported as such before anything else
  const engine = Engine.open();
  let run;
  try {
    run = engine.getRun(values.run);
  } catch (error) {
    throw new UsageError((error as Error).message);
  } finally {
    engine.close();
  }
  if (!run) {
    console.error(`rpa heal: no run ${values.run} (see: rpa runs)`);
    return 1;
  }
  if (run.automationFile && path.resolve(run.automationFile) !== file) {
    console.error(color.yellow(`note: run ${run.id} ran ${run.automationFile}, not ${file}; steps are matched by path and by their old locators`));
  }
  const healed: HealedStep[] = run.steps.filter((step) => step.locator?.healed).map((step) => ({ path: step.path, healed: step.locator!.healed! }));
  if (!healed.length) {
    console.log(`run ${run.id} healed no step; nothing to update`);
    return 0;
  }
  const { updates, skipped } = planHealUpdates(file, healed);
  for (const update of updates) {
    console.log(color.bold(update.file));
    for (const change of update.changes) console.log(`  step ${change.stepPath.padEnd(8)} ${change.from}  →  ${describeLocator(change.to)}  (score ${change.score.toFixed(2)})`);
  }
  for (const skip of skipped) console.log(color.yellow(`  step ${skip.stepPath.padEnd(8)} not updated: ${skip.reason}`));
  if (!updates.length) return skipped.length ? 1 : 0;
  const count = updates.reduce((sum, u) => sum + u.changes.length, 0);
  if (!values.yes && !(await confirm(`Write ${count} healed locator${count === 1 ? '' : 's'} into ${updates.length === 1 ? 'the file' : `${updates.length} files`}? [y/N] `))) {
    console.log('nothing written');
    return 0;
  }
  writeAll(updates);
  console.log(`${color.green('✓')} updated ${updates.map((u) => path.relative(process.cwd(), u.file) || u.file).join(', ')}: the healed locator is now the first candidate, the old ones follow`);
  return 0;
}
