// Step kind → handler. Adding a kind: schema in engine/format/schema.ts, handler here.
import type { Step, StepKind } from '../format/schema.js';
import type { StepHandler } from '../runner/step-context.js';
import { check, click, dragTo, fill, hover, press, select, type, upload } from './browser/actions.js';
import { goto, open, switchTab } from './browser/navigation.js';
import { assert, dialog, extract, screenshot, waitFor } from './browser/read.js';
import { call, fail, forEach, ifStep, log, set, tryStep } from './flow/control.js';
import { queueAdd } from './flow/queue-add.js';
import { writeCsv } from './flow/write-csv.js';
import { fileList } from './flow/file-list.js';

/**
 * A handler whose module loads on first use. Document, model and desktop steps pull in OCR,
 * PDF, canvas, model SDK and native input modules; loading them only when an automation uses
 * them keeps `rpa` start-up (and every browser-only run) fast.
 */
function lazy<S extends Step>(load: () => Promise<StepHandler<S>>): StepHandler<S> {
  let handler: Promise<StepHandler<S>> | undefined;
  return async (step, ctx) => (await (handler ??= load()))(step, ctx);
}
const documents = () => import('./documents/read.js');
const desktopInput = () => import('./desktop/input.js');
const desktopLaunch = () => import('./desktop/launch.js');
const desktopRead = () => import('./desktop/read.js');
const desktopClipboard = () => import('./desktop/clipboard.js');
const ai = () => import('./ai/index.js');

type HandlerMap = { [K in StepKind]: StepHandler<Extract<Step, { kind: K }>> };

const handlers: HandlerMap = {
  'browser.open': open,
  'browser.goto': goto,
  'browser.click': click,
  'browser.fill': fill,
  'browser.select': select,
  'browser.check': check,
  'browser.press': press,
  'browser.type': type,
  'browser.upload': upload,
  'browser.waitFor': waitFor,
  'browser.extract': extract,
  'browser.assert': assert,
  'browser.screenshot': screenshot,
  'browser.dialog': dialog,
  'browser.switchTab': switchTab,
  'desktop.launch': lazy(() => desktopLaunch().then((m) => m.launch)),
  'desktop.focusWindow': lazy(() => desktopLaunch().then((m) => m.focusWindow)),
  'desktop.click': lazy(() => desktopInput().then((m) => m.click)),
  'desktop.doubleClick': lazy(() => desktopInput().then((m) => m.doubleClick)),
  'desktop.rightClick': lazy(() => desktopInput().then((m) => m.rightClick)),
  'desktop.type': lazy(() => desktopInput().then((m) => m.type)),
  'desktop.press': lazy(() => desktopInput().then((m) => m.press)),
  'desktop.drag': lazy(() => desktopInput().then((m) => m.drag)),
  'desktop.waitFor': lazy(() => desktopRead().then((m) => m.waitFor)),
  'desktop.read': lazy(() => desktopRead().then((m) => m.read)),
  'desktop.screenshot': lazy(() => desktopRead().then((m) => m.screenshot)),
  'desktop.assert': lazy(() => desktopRead().then((m) => m.assert)),
  'clipboard.get': lazy(() => desktopClipboard().then((m) => m.clipboardGet)),
  'clipboard.set': lazy(() => desktopClipboard().then((m) => m.clipboardSet)),
  'browser.hover': hover,
  'browser.dragTo': dragTo,
  'read.document': lazy(() => documents().then((m) => m.readDocumentStep)),
  'read.screen': lazy(() => documents().then((m) => m.readScreenStep)),
  'ai.extract': lazy(() => ai().then((m) => m.aiExtract)),
  'ai.classify': lazy(() => ai().then((m) => m.classify)),
  'ai.ask': lazy(() => ai().then((m) => m.ask)),
  'human.review': lazy(() => ai().then((m) => m.humanReview)),
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

