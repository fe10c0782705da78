// Step kind → handler. Adding a kind: schema in engine/format/schema.ts, handler here.
import type { Step, StepKind } from '../format/schema.js';
import type { StepHandler } from '../runner/step-context.js';
import { check, click, fill, press, select, upload } from './browser/actions.js';
import { goto, open, switchTab } from './browser/navigation.js';
import { assert, dialog, extract, screenshot, waitFor } from './browser/read.js';
import { call, fail, forEach, ifStep, log, set, tryStep } from './flow/control.js';
import { queueAdd } from './flow/queue-add.js';
import { writeCsv } from './flow/write-csv.js';
import { notYet } from './documents/pending.js';

type HandlerMap = { [K in StepKind]: StepHandler<Extract<Step, { kind: K }>> };

const handlers: HandlerMap = {
  'browser.open': open,
  'browser.goto': goto,
  'browser.click': click,
  'browser.fill': fill,
  'browser.select': select,
  'browser.check': check,
  'browser.press': press,
  'browser.upload': upload,
  'browser.waitFor': waitFor,
  'browser.extract': extract,
  'browser.assert': assert,
  'browser.screenshot': screenshot,
  'browser.dialog': dialog,
  'browser.switchTab': switchTab,
  'read.document': notYet,
  'read.screen': notYet,
  'ai.extract': notYet,
  'ai.classify': notYet,
  'ai.ask': notYet,
  'human.review': notYet,
  'flow.set': set,
  'flow.if': ifStep,
  'flow.forEach': forEach,
  'flow.try': tryStep,
  'flow.call': call,
  'flow.fail': fail,
  'file.writeCsv': writeCsv,
  'queue.add': queueAdd,
  log,
};

export function handlerFor(kind: StepKind): StepHandler {
  return handlers[kind] as StepHandler;
}

/** Steps that hold other steps: they get no timeout or retry of their own. */
export const CONTAINER_KINDS: ReadonlySet<StepKind> = new Set(['flow.if', 'flow.forEach', 'flow.try', 'flow.call']);

