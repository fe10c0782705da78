// The desktop recorder: global mouse and keyboard hooks (uiohook-napi). Each click keeps a crop
// around the pointer as an image target (only when it is unambiguous on screen), the OCR'd word
// under the pointer, the window title and window-relative coordinates; stop() writes the
// automation and its images, then validates the file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UiohookKeyboardEvent, UiohookMouseEvent } from 'uiohook-napi';
import { clampRect, crop, encodePng, type Bitmap, type Rect } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { findText } from '../../engine/desktop/find-text.js';
import { runnerUpScore } from '../../engine/desktop/match-image.js';
import { recognize, stopOcr, type OcrWord } from '../../engine/desktop/ocr.js';
import { desktopPreflight } from '../../engine/desktop/preflight.js';
import { activeWindow, type DesktopWindow } from '../../engine/desktop/windows.js';
import { RpaError } from '../../engine/errors.js';
import { loadAutomation } from '../../engine/format/load.js';
import { FORMAT_VERSION, type Automation, type Step } from '../../engine/format/schema.js';
import { DesktopStepBuilder } from './step-builder.js';

export interface DesktopRecorderOptions {
  /** The automation file to write; images go beside it. */
  out: string;
  id: string;
  name?: string;
  /** Windows whose title matches are never recorded (besides the one active when recording starts). */
  ignoreTitles?: RegExp[];
  onStep?: (step: Step, index: number) => void;
  /** Reports a click that could not be recorded. */
  onProblem?: (message: string) => void;
}

/** Crop sizes tried in turn until one is unambiguous on screen. */
const CROPS = [
  { width: 120, height: 40 },
  { width: 240, height: 60 },
  { width: 420, height: 90 },
];
/** A crop whose second-best place on screen scores this well could be mistaken for it. */
const AMBIGUOUS = 0.85;
/** Clicks focus their window; its title is read this long after the press. */
const FOCUS_SETTLE_MS = 150;

export class DesktopRecorder {
  private readonly builder: DesktopStepBuilder;
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
    uIOhook.start();
    return recorder;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => this.options.onProblem?.(`could not record an action: ${(error as Error).message}`));
  }

  private readonly onMouseDown = (event: UiohookMouseEvent): void => {
    const button = event.button === 1 ? 'left' : event.button === 2 ? 'right' : undefined;
    if (!button) return;
    // Capture now, before the application reacts to the click; read the window once it is focused.
    const screen = captureScreen();
    const window = new Promise<DesktopWindow | undefined>((resolve) => setTimeout(() => resolve(activeWindow().catch(() => undefined)), FOCUS_SETTLE_MS));
    screen.catch(() => undefined);
    const point = { x: event.x, y: event.y };
    this.enqueue(() => this.recordClick(button, event.clicks, point, screen, window));
  };

  private readonly onKeyDown = (event: UiohookKeyboardEvent): void => {
    const key = { keycode: event.keycode, shift: event.shiftKey, ctrl: event.ctrlKey, alt: event.altKey, meta: event.metaKey };
    this.enqueue(() => {
      if (this.keysGoTo === 'recorded') this.builder.key(key);
      return Promise.resolve();
    });
  };

  private ignored(window: DesktopWindow): boolean {
    return window.id === this.ignoredWindowId || (this.options.ignoreTitles ?? []).some((pattern) => pattern.test(window.title));
  }

  private async recordClick(button: 'left' | 'right', clicks: number, point: { x: number; y: number }, screenPromise: Promise<Bitmap>, windowPromise: Promise<DesktopWindow | undefined>): Promise<void> {
    const window = await windowPromise;
    if (!window || this.ignored(window)) {
      this.keysGoTo = 'ignored';
      return;
    }
    this.keysGoTo = 'recorded';
    const offset = { x: point.x - window.rect.x, y: point.y - window.rect.y };
    if (clicks >= 2) {
      this.builder.click({ button, clicks, windowTitle: window.title, offset });
      return;
    }
    const screen = await screenPromise;
    const windowPixels = crop(screen, window.rect);
    const image = await this.keepImage(screen, windowPixels, window.rect, point);
    const text = await this.textUnder(windowPixels, offset);
    this.builder.click({ button, clicks, windowTitle: window.title, offset, ...(image ? { image } : {}), ...(text ? { text } : {}) });
  }

  /** The smallest crop around the point that matches nowhere else in the window; saved as PNG. */
  private async keepImage(screen: Bitmap, windowPixels: Bitmap, windowRect: Rect, point: { x: number; y: number }): Promise<string | undefined> {
    for (const size of CROPS) {
      const rect = clampRect({ x: point.x - size.width / 2, y: point.y - size.height / 2, ...size }, screen.width, screen.height);
      const inside = clampRect({ x: rect.x - windowRect.x, y: rect.y - windowRect.y, width: rect.width, height: rect.height }, windowPixels.width, windowPixels.height);
      if (inside.width < 16 || inside.height < 12) return undefined;
      const template = crop(windowPixels, inside);
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

  /** Resolves once every action seen so far has been captured and turned into steps. */
  async idle(): Promise<void> {
    await this.queue;
  }

  /** Stops the hooks, waits for the last captures, writes and validates the automation. */
  async stop(): Promise<{ file: string; automation: Automation }> {
    this.hook?.stop();
    this.hook?.removeListener('mousedown', this.onMouseDown);
    this.hook?.removeListener('keydown', this.onKeyDown);
    await this.queue;
    this.builder.flushTyping();
    await stopOcr();
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
