// Plans `rpa heal`: maps each healed step of a run back to its target in the automation
// file (or in a file reached through flow.call), and computes the new file text with the
// healed locator first, the old candidates after it and the fingerprint refreshed. Only the
// edited targets change in the text (jsonc-parser edits), so the file keeps its layout.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import type { HealedLocator } from '../engine/events.js';
import type { Locator, Target } from '../engine/format/schema.js';
import { describeLocator } from '../engine/runner/playwright-locator.js';

export interface HealedStep {
  path: string;
  healed: HealedLocator;
}

export interface Change {
  stepPath: string;
  from: string;
  to: Locator;
  score: number;
}

export interface FileUpdate {
  file: string;
  text: string;
  changes: Change[];
}

export interface Skipped {
  stepPath: string;
  reason: string;
}

type JsonPath = Array<string | number>;
type Json = Record<string, unknown>;

const SEGMENT = /^(?:\.(then|else|try|catch|finally)\.(\d+)|\[\d+\]\.(\d+)|>(\d+))/;
const CHILD_KEY: Record<string, string> = { then: 'then', else: 'else', try: 'steps', catch: 'catch', finally: 'finally' };

/** Where a run's step path ("4.then.2", "3[2].1", "5>1") lives: file and JSON path of the step. */
export function locateStep(rootFile: string, stepPath: string, read: (file: string) => Json): { file: string; at: JsonPath } {
  const top = /^(\d+)/.exec(stepPath);
  if (!top) throw new Error(`"${stepPath}" is not a step path`);
  let file = path.resolve(rootFile);
  let at: JsonPath = ['steps', Number(top[1]) - 1];
  let rest = stepPath.slice(top[0].length);
  while (rest) {
    const match = SEGMENT.exec(rest);
    if (!match) throw new Error(`"${stepPath}" is not a step path`);
    if (match[1]) at = [...at, CHILD_KEY[match[1]]!, Number(match[2]) - 1];
    else if (match[3]) at = [...at, 'steps', Number(match[3]) - 1];
    else {
      const call = valueAt(read(file), at);
      if (call?.['kind'] !== 'flow.call' || typeof call['automation'] !== 'string') throw new Error(`step ${stepPath}: expected a flow.call before ">"`);
      if (call['automation'].includes('{{')) throw new Error(`step ${stepPath}: the called automation's path is templated`);
      file = path.resolve(path.dirname(file), call['automation']);
      at = ['steps', Number(match[4]) - 1];
    }
    rest = rest.slice(match[0].length);
  }
  return { file, at };
}

function valueAt(doc: Json, at: JsonPath): Json | undefined {
  let node: unknown = doc;
  for (const key of at) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  return node && typeof node === 'object' ? (node as Json) : undefined;
}

const sameLocator = (a: Locator, b: Locator): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The updates to write and the healed steps that cannot be mapped back, each with why. */
export function planHealUpdates(rootFile: string, healedSteps: HealedStep[]): { updates: FileUpdate[]; skipped: Skipped[] } {
  const texts = new Map<string, string>();
  const read = (file: string): Json => {
    if (!texts.has(file)) texts.set(file, readFileSync(file, 'utf8'));
    return JSON.parse(texts.get(file)!) as Json;
  };
  const updates = new Map<string, FileUpdate>();
  const done = new Set<string>();
  const skipped: Skipped[] = [];
  for (const { path: stepPath, healed } of healedSteps) {
    let where;
    try {
      where = locateStep(rootFile, stepPath, read);
    } catch (error) {
      skipped.push({ stepPath, reason: (error as Error).message });
      continue;
    }
    const key = `${where.file}#${where.at.join('/')}`;
    if (done.has(key)) continue; // the same step healed again in a later loop iteration
    const target = valueAt(read(where.file), [...where.at, 'target']) as Target | undefined;
    if (!target || !Array.isArray(target.candidates)) {
      skipped.push({ stepPath, reason: `no target at this step in ${where.file} (the file changed since the run?)` });
      continue;
    }
    if (JSON.stringify(target).includes('{{')) {
      skipped.push({ stepPath, reason: 'the target is templated; the healed locator holds the values of that run, update it by hand' });
      continue;
    }
    if (target.candidates.map(describeLocator).join(' | ') !== healed.from) {
      skipped.push({ stepPath, reason: `the target in ${where.file} is not the one that was healed (the file changed since the run?)` });
      continue;
    }
    done.add(key);
    const updated: Target = {
      ...target,
      candidates: [healed.to, ...target.candidates.filter((c) => !sameLocator(c, healed.to))],
      ...(healed.fingerprint ? { fingerprint: healed.fingerprint } : {}),
    };
    const update = updates.get(where.file) ?? { file: where.file, text: texts.get(where.file)!, changes: [] };
    const edits = modify(update.text, [...where.at, 'target'], updated, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
    update.text = applyEdits(update.text, edits);
    update.changes.push({ stepPath, from: healed.from, to: healed.to, score: healed.score });
    updates.set(where.file, update);
  }
  return { updates: [...updates.values()], skipped };
}
