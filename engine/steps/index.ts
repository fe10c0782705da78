// Step kind → handler. Adding a kind: schema in engine/format/schema.ts, handler here.
import type { Step, StepKind } from '../format/schema.js';
import type { StepHandler } from '../runner/step-context.js';
import { check, click, dragTo, fill, hover, press, select, upload } from './browser/actions.js';
import { goto, open, switchTab } from './browser/navigation.js';
import { assert, dialog, extract, screenshot, waitFor } from './browser/read.js';
import { call, fail, forEach, ifStep, log, set, tryStep } from './flow/control.js';
import { queueAdd } from './flow/queue-add.js';
import { writeCsv } from './flow/write-csv.js';
import { fileList } from './flow/file-list.js';
import { readDocumentStep, readScreenStep } from './documents/read.js';
import { clipboardGet, clipboardSet } from './desktop/clipboard.js';
import { click as desktopClick, doubleClick as desktopDoubleClick, drag as desktopDrag, press as desktopPress, rightClick as desktopRightClick, type as desktopType } from './desktop/input.js';
import { focusWindow as desktopFocusWindow, launch as desktopLaunch } from './desktop/launch.js';
import { read as desktopRead, screenshot as desktopScreenshot, waitFor as desktopWaitFor } from './desktop/read.js';
import { aiExtract, ask, classify, humanReview } from './ai/index.js';

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
  'desktop.launch': desktopLaunch,
  'desktop.focusWindow': desktopFocusWindow,
  'desktop.click': desktopClick,
  'desktop.doubleClick': desktopDoubleClick,
  'desktop.rightClick': desktopRightClick,
  'desktop.type': desktopType,
  'desktop.press': desktopPress,
  'desktop.drag': desktopDrag,
  'desktop.waitFor': desktopWaitFor,
  'desktop.read': desktopRead,
  'desktop.screenshot': desktopScreenshot,
  'clipboard.get': clipboardGet,
  'clipboard.set': clipboardSet,
  'browser.hover': hover,
  'browser.dragTo': dragTo,
  'read.document': readDocumentStep,
  'read.screen': readScreenStep,
  'ai.extract': aiExtract,
  'ai.classify': classify,
  'ai.ask': ask,
  'human.review': humanReview,
  'flow.set': set,
  'flow.if': ifStep,
  'flow.forEach': forEach,
  'flow.try': tryStep,
  'flow.call': call,
  'flow.fail': fail,
  'file.list': fileList,
  'file.writeCsv': writeCsv,
  'queue.add': queueAdd,
  log,
};

export function handlerFor(kind: StepKind): StepHandler {
  return handlers[kind] as StepHandler;
}

/** Steps that hold other steps: they get no timeout or retry of their own. */
export const CONTAINER_KINDS: ReadonlySet<StepKind> = new Set(['flow.if', 'flow.forEach', 'flow.try', 'flow.call']);

