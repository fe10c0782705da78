// The desktop recorder: global mouse and keyboard hooks (uiohook-napi). Each click keeps the
// control under the pointer as the accessibility API names it (role, name, label, path: AT-SPI
// on Linux) when that names one control only, a crop
// around the pointer as an image target (only when it is unambiguous on screen), the OCR'd word
// under the pointer, the window title and window-relative coordinates — all read from the screen
// as it was before the click (see pre-click-screen.ts); stop() writes the automation and its
// images, then validates the file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UiohookKeyboardEvent, UiohookMouseEvent } from 'uiohook-napi';
import { snapshotOf, type A11ySnapshot } from '../../engine/desktop/a11y/find.js';
import { elementAt, selectorFor, type A11ySelector } from '../../engine/desktop/a11y/match.js';
import { crop, encodePng, type Bitmap, type Rect } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { findText } from '../../engine/desktop/find-text.js';
import { changedFraction, runnerUpScore } from '../../engine/desktop/match-image.js';
import { recognize, closeOcr, type OcrWord } from '../../engine/desktop/ocr.js';
import { desktopPreflight } from '../../engine/desktop/preflight.js';
import { activeWindow, windowById, type DesktopWindow } from '../../engine/desktop/windows.js';
import { RpaError } from '../../engine/errors.js';
import { loadAutomation } from '../../engine/format/load.js';
import { FORMAT_VERSION, type Automation, type Step } from '../../engine/format/schema.js';
import { PreClickScreen, PRE_CLICK_TIMING, type PreClickTiming } from './pre-click-screen.js';
import { DesktopStepBuilder } from './step-builder.js';

export interface DesktopRecorderOptions {
  /** The automation file to write; images go beside it. */
  out: string;
  id: string;
  name?: string;
  /** Windows whose title matches are never recorded (besides the one active when recording starts). */
  ignoreTitles?: RegExp[];
  onStep?: (step: Step, index: number) => void;
  /** Reports a click that could not be recorded, or only by its coordinates. */
  onProblem?: (message: string) => void;
  /** When pictures of the screen are taken ahead of clicks (tests shorten it). */
  preClickTiming?: PreClickTiming;
}

/** Crop sizes tried in turn until one is unambiguous on screen. */
const CROPS = [
  { width: 120, height: 40 },
  { width: 240, height: 60 },
  { width: 420, height: 90 },
];
/** A crop whose second-best place on screen scores this well could be mistaken for it. */
const AMBIGUOUS = 0.85;
/** The screen before a click, and the window that was active then (a click can close it). */
interface Picture {
  screen: Bitmap;
  window: DesktopWindow | undefined;
  /** The active window's controls as the accessibility API listed them then, if it could. */
  a11y: A11ySnapshot | undefined;
}

const contains = (rect: Rect, point: { x: number; y: number }): boolean =>
  point.x >= rect.x && point.y >= rect.y && point.x < rect.x + rect.width && point.y < rect.y + rect.height;

/** A click in another window focuses it; its title is read this long after the press. */
const FOCUS_SETTLE_MS = 150;
/**
 * A picture from before the click in which more of the window differs from just after it was
 * taken before the window (or this state of it) appeared: too old to crop targets from. A focus
 * ring, a typed character or a closing menu changes far less.
 */
const STALE_FRACTION = 0.5;

export class DesktopRecorder {
  private readonly builder: DesktopStepBuilder;
  private readonly preClick: PreClickScreen<Picture>;
  /** The window of the last recorded click: a fast click that closes it comes with no picture. */
  private lastWindow: DesktopWindow | undefined;
  private queue: Promise<void> = Promise.resolve();
  private imageCount = 0;
  private ignoredWindowId: string | undefined;
  /** Keys count only after a click in a recorded window (before that, focus is in the terminal). */
  private keysGoTo: 'recorded' | 'ignored' = 'ignored';
  private hook: typeof import('uiohook-napi').uIOhook | undefined;
  private readonly dir: string;
  private readonly base: string;

  private constructor(private readonly options: DesktopRecorderOptions) {
    this.builder = new DesktopStepBuilder(options.onStep);
    this.preClick = new PreClickScreen<Picture>(
      async () => {
        const window = await activeWindow().catch(() => undefined);
        const screen = await captureScreen();
        const a11y = window && !this.ignored(window) ? await snapshotOf(window).catch(() => undefined) : undefined;
        return { screen, window, a11y };
      },
      options.preClickTiming ?? PRE_CLICK_TIMING,
    );
    this.dir = path.dirname(path.resolve(options.out));
    this.base = path.basename(options.out).replace(/\.json$/i, '');
  }

  static async start(options: DesktopRecorderOptions): Promise<DesktopRecorder> {
    await desktopPreflight();
    const recorder = new DesktopRecorder(options);
    recorder.ignoredWindowId = (await activeWindow().catch(() => undefined))?.id;
    const { uIOhook } = await import('uiohook-napi');
    recorder.hook = uIOhook;
    uIOhook.on('mousedown', recorder.onMouseDown);
    uIOhook.on('keydown', recorder.onKeyDown);
    uIOhook.on('mouseup', recorder.onOtherInput);
    uIOhook.on('keyup', recorder.onOtherInput);
    uIOhook.on('wheel', recorder.onOtherInput);
    uIOhook.start();
    recorder.preClick.start();
    return recorder;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => this.options.onProblem?.(`could not record an action: ${(error as Error).message}`));
  }

  private readonly onMouseDown = (event: UiohookMouseEvent): void => {
    const button = event.button === 1 ? 'left' : event.button === 2 ? 'right' : undefined;
    if (!button) {
      this.preClick.input();
      return;
    }
    // The screen before the click (taken ahead of time), and after it: hooks report the press
    // once the program has reacted. A click in another window is placed once that is focused.
    const before = this.preClick.beforeClick();
    const after = captureScreen();
    after.catch(() => undefined);
    const window = new Promise<DesktopWindow | undefined>((resolve) => setTimeout(() => resolve(activeWindow().catch(() => undefined)), FOCUS_SETTLE_MS));
    const point = { x: event.x, y: event.y };
    this.enqueue(() => this.recordClick(button, event.clicks, point, before, after, window));
  };

  private readonly onKeyDown = (event: UiohookKeyboardEvent): void => {
    this.preClick.input();
    const key = { keycode: event.keycode, shift: event.shiftKey, ctrl: event.ctrlKey, alt: event.altKey, meta: event.metaKey };
    this.enqueue(() => {
      if (this.keysGoTo === 'recorded') this.builder.key(key);
      return Promise.resolve();
    });
  };

  /** Releases and the wheel change the screen too, though they make no step. */
  private readonly onOtherInput = (): void => this.preClick.input();

  private ignored(window: DesktopWindow): boolean {
    return window.id === this.ignoredWindowId || (this.options.ignoreTitles ?? []).some((pattern) => pattern.test(window.title));
  }

  private async recordClick(
    button: 'left' | 'right',
    clicks: number,
    point: { x: number; y: number },
    picture: Picture | undefined,
    afterPromise: Promise<Bitmap>,
    windowPromise: Promise<DesktopWindow | undefined>,
  ): Promise<void> {
    const { window, closed } = await this.clickedWindow(point, picture?.window, windowPromise);
    this.lastWindow = window;
    if (!window || this.ignored(window)) {
      this.keysGoTo = 'ignored';
      return;
    }
    this.keysGoTo = 'recorded';
    const before = picture?.screen;
    const offset = { x: point.x - window.rect.x, y: point.y - window.rect.y };
    const windowSize = { width: window.rect.width, height: window.rect.height };
    if (clicks >= 2) {
      this.builder.click({ button, clicks, windowTitle: window.title, offset, windowSize });
      return;
    }
    const windowBefore = before && crop(before, window.rect);
    // A window that the click closed cannot be compared with what came after it; it was the
    // active window when the picture was taken, so the picture shows it.
    const fresh = windowBefore && (closed || (await changedFraction(windowBefore, crop(await afterPromise, window.rect))) <= STALE_FRACTION);
    // The controls listed with a picture that is too old are as old: then the window as it is now.
    const a11y = await this.accessibleAt(point, window, fresh ? picture : undefined, closed);
    if (!before || !windowBefore || !fresh) {
      // A crop of the screen after the click could match another place at replay (where the
      // click has not happened yet): coordinates are the honest record.
      // The accessible control, when there is one, is a sound record on its own.
      if (!a11y) this.options.onProblem?.(
        `the click at (${Math.round(offset.x)}, ${Math.round(offset.y)}) in "${window.title}" was recorded by its coordinates only: ${!before ? 'the screen had not settled since the previous input' : 'the window changed too much just before the click'}; pause a moment before clicking to get image and text targets`,
      );
      this.builder.click({ button, clicks, windowTitle: window.title, offset, windowSize, ...(a11y ? { a11y } : {}) });
      return;
    }
    const image = await this.keepImage(windowBefore, window.rect, point);
    const text = await this.textUnder(windowBefore, offset);
    this.builder.click({ button, clicks, windowTitle: window.title, offset, windowSize, ...(a11y ? { a11y } : {}), ...(image ? { image } : {}), ...(text ? { text } : {}) });
  }

  /**
   * The control under the point, named so that it is the only one in its window: from the list
   * taken with the picture before the click when there is one of this window (a click on OK
   * closes the dialog before the hook reports it), else from the window as it is now.
   */
  private async accessibleAt(point: { x: number; y: number }, window: DesktopWindow, picture: Picture | undefined, closed: boolean): Promise<A11ySelector | undefined> {
    let snapshot = picture?.window?.id === window.id ? picture.a11y : undefined;
    if (!snapshot && !closed) snapshot = await snapshotOf(window).catch(() => undefined);
    if (!snapshot) return undefined;
    const element = elementAt(snapshot.elements, point);
    return element && selectorFor(element, snapshot.elements);
  }

  /**
   * Which window the click went to. Reading the active window after the press misses a click
   * that closes its window (an OK button): by then the window is gone and its parent active.
   * So the window active in the picture from before the click wins when the point is inside it
   * (it was on top, being active); else the window of the previous click, when the point is
   * inside it and it has closed since; else the window focused after the press.
   */
  private async clickedWindow(
    point: { x: number; y: number },
    known: DesktopWindow | undefined,
    settledPromise: Promise<DesktopWindow | undefined>,
  ): Promise<{ window: DesktopWindow | undefined; closed: boolean }> {
    if (known && contains(known.rect, point)) {
      const now = await windowById(known.id).catch(() => undefined);
      return { window: known, closed: !now };
    }
    const settled = await settledPromise;
    const last = this.lastWindow;
    if (last && last.id !== settled?.id && contains(last.rect, point) && !(await windowById(last.id).catch(() => undefined))) return { window: last, closed: true };
    return { window: settled, closed: false };
  }

  /**
   * The smallest crop centred on the point that matches nowhere else in the window; saved as
   * PNG. Replay clicks the centre of where the crop matches, so near a window edge the crop
   * shrinks on both sides rather than shifting (a shifted crop sent replay one xcalc key left).
   */
  private async keepImage(windowPixels: Bitmap, windowRect: Rect, point: { x: number; y: number }): Promise<string | undefined> {
    const local = { x: Math.round(point.x - windowRect.x), y: Math.round(point.y - windowRect.y) };
    let tried = '';
    for (const size of CROPS) {
      const halfWidth = Math.min(size.width / 2, local.x, windowPixels.width - local.x);
      const halfHeight = Math.min(size.height / 2, local.y, windowPixels.height - local.y);
      if (halfWidth < 8 || halfHeight < 6) return undefined;
      const rect = { x: local.x - halfWidth, y: local.y - halfHeight, width: 2 * halfWidth, height: 2 * halfHeight };
      const key = `${rect.width}x${rect.height}`;
      if (key === tried) continue; // clipped by the window to the size already found ambiguous
      tried = key;
      const template = crop(windowPixels, rect);
      if ((await runnerUpScore(windowPixels, template)) >= AMBIGUOUS) continue;
      const file = `${this.base}-${++this.imageCount}.png`;
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(path.join(this.dir, file), encodePng(template));
      return file;
    }
    return undefined;
  }

  /** The word (with its neighbours on the line) under the pointer, if it is unique in the window. */
  private async textUnder(windowPixels: Bitmap, offset: { x: number; y: number }): Promise<string | undefined> {
    const { words } = await recognize(windowPixels, 'sparse');
    const inside = (word: OcrWord): boolean =>
      offset.x >= word.box.x - 3 && offset.x <= word.box.x + word.box.width + 3 && offset.y >= word.box.y - 3 && offset.y <= word.box.y + word.box.height + 3;
    const hit = words.find((word) => inside(word) && word.confidence >= 0.6 && /[\p{L}\p{N}]/u.test(word.text));
    if (!hit) return undefined;
    // Join the words of the same line that sit close together: a button or label reads as one phrase.
    const line = words.filter((word) => word.line === hit.line).sort((a, b) => a.box.x - b.box.x);
    let start = line.indexOf(hit);
    let end = start;
    const gap = hit.box.height * 0.8;
    while (start > 0 && line[start]!.box.x - (line[start - 1]!.box.x + line[start - 1]!.box.width) < gap) start--;
    while (end < line.length - 1 && line[end + 1]!.box.x - (line[end]!.box.x + line[end]!.box.width) < gap) end++;
    const phrase = line.slice(start, end + 1).map((word) => word.text).join(' ').trim();
    // The phrase must be on one line of the window only, or replay could click the wrong one.
    const lines = new Set(words.map((word) => word.line));
    const occurrences = [...lines].filter((number) => findText(words.filter((word) => word.line === number), { text: phrase, exact: true }).match).length;
    return occurrences === 1 ? phrase : undefined;
  }

  /** Text typed since the last step, not yet a desktop.type step (it becomes one at the next click or key). */
  get pendingText(): string {
    return this.builder.pendingText;
  }

  /** Resolves once every action seen so far has been captured and turned into steps. */
  async idle(): Promise<void> {
    await this.queue;
  }

  /**
   * Resolves once the actions seen so far are recorded and a picture of the screen as it is now
   * is at hand, so that a click now gets image and text targets. Hooks report input late (about
   * 100 ms under Xvfb, more on a busy machine): a script driving input should first see its
   * action arrive (onStep for a click, pendingText for typing).
   */
  async ready(): Promise<void> {
    await this.queue;
    await this.preClick.ready();
  }

  /** Stops the hooks, waits for the last captures, writes and validates the automation. */
  async stop(): Promise<{ file: string; automation: Automation }> {
    this.hook?.stop();
    this.hook?.removeListener('mousedown', this.onMouseDown);
    this.hook?.removeListener('keydown', this.onKeyDown);
    for (const event of ['mouseup', 'keyup', 'wheel']) this.hook?.removeListener(event, this.onOtherInput);
    this.preClick.stop();
    await this.queue;
    this.builder.flushTyping();
    await closeOcr();
    if (!this.builder.steps.length) throw new RpaError('nothing was recorded (no clicks or typing in another window); no file written');
    const automation: Automation = {
      format: FORMAT_VERSION,
      id: this.options.id,
      name: this.options.name ?? `Desktop recording ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
      version: '1.0.0',
      description: 'Recorded with rpa record --desktop.',
      steps: this.builder.steps,
    };
    const file = path.resolve(this.options.out);
    writeFileSync(file, `${JSON.stringify(automation, null, 2)}\n`);
    loadAutomation(file);
    return { file, automation };
  }
}
