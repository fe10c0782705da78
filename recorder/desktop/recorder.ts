// The desktop recorder: global mouse and keyboard hooks (uiohook-napi). Each click keeps the
// control under the pointer as the accessibility API names it (role, name, label, path: AT-SPI
// on Linux) when that names one control only, a crop
// around the pointer as an image target (only when it is unambiguous on screen), the OCR'd word
// under the pointer or else the label beside the clicked control, the window title and
// window-relative coordinates — read from the screen as it was before the click (see
// pre-click-screen.ts); stop() writes the automation and its images, then validates the file.
// It can start the program it records (a desktop.launch step) and add checks (desktop.assert).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UiohookKeyboardEvent, UiohookMouseEvent } from 'uiohook-napi';
import { snapshotOf, type A11ySnapshot } from '../../engine/desktop/a11y/find.js';
import { elementAt, selectorFor, type A11ySelector } from '../../engine/desktop/a11y/match.js';
import { AREA_MIN, AREA_SOLIDITY, flatAreaAt } from '../../engine/desktop/area.js';
import { changedBox, crop, encodePng, intersects, paintOver, unionRect, type Bitmap, type Rect } from '../../engine/desktop/bitmap.js';
import { captureScreen, readClipboard } from '../../engine/desktop/control.js';
import { findTextAll } from '../../engine/desktop/find-text.js';
import { launchProgram, type LaunchedProgram } from '../../engine/desktop/launch.js';
import { changedFraction, findImage, runnerUpScore } from '../../engine/desktop/match-image.js';
import { nthOf, type Nth } from '../../engine/desktop/order.js';
import { recognize, closeOcr, type OcrWord } from '../../engine/desktop/ocr.js';
import { desktopPreflight } from '../../engine/desktop/preflight.js';
import { activeWindow, findWindows, stackedWindows, windowAtPoint, windowById, type DesktopWindow, type StackedWindow } from '../../engine/desktop/windows.js';
import { RpaError } from '../../engine/errors.js';
import { loadAutomation } from '../../engine/format/load.js';
import { FORMAT_VERSION, type Automation, type Step } from '../../engine/format/schema.js';
import { PreClickScreen, PRE_CLICK_TIMING, type PreClickTiming } from './pre-click-screen.js';
import { catchUpWithHook, loadPointerMark, type PointerMark } from './hook-drain.js';
import { FocusWatch } from './focus-watch.js';
import { PressCounter } from './press-count.js';
import { lookAtScreen, type LookSources } from './screen-look.js';
import { DesktopStepBuilder, type RecordedClick } from './step-builder.js';

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
  /** How the pictures ahead of clicks read the active window and grab the screen (tests slow them, as load does). */
  lookSources?: LookSources;
  /**
   * A program to start when recording starts: it is recorded as the first step (desktop.launch,
   * waiting for its window), so that replay starts it too; it is closed when recording stops.
   */
  launch?: { program: string; args: string[] };
  /**
   * Secret values by name (from the vault or RPA_SECRET_<NAME>): typing that holds one is
   * recorded as {{secrets.NAME}}, and no picture or text the recorder keeps shows it.
   */
  secrets?: Record<string, string>;
  /**
   * Which window each key went to is told by one watch of focus changes (see focus-watch.ts);
   * false reads the active window for every key instead (as before; tests compare the two).
   */
  watchFocus?: boolean;
}

/** Assertions the recorder can add (see addAssertion). */
export type RecordedAssertion = 'text' | 'windowOpen' | 'windowClosed' | 'clipboard';

/** How long a launched program may take to show its first window. */
const LAUNCH_WINDOW_MS = 20_000;

/** Crop sizes tried in turn until one is unambiguous on screen. */
const CROPS = [
  { width: 120, height: 40 },
  { width: 240, height: 60 },
  { width: 420, height: 90 },
];
/**
 * Core crops: the control's own face around the click (a key's glyph, a button's caption), tried
 * smallest first until one is unambiguous in the window. Unlike the context crop it holds no
 * neighbours, so it is still found when a resized window moves controls apart or stretches
 * them; replay takes it only where the recorded place can have gone (see locate.ts).
 */
const CORES = [
  { width: 40, height: 28 },
  { width: 56, height: 36 },
];
/** Face crops (see chooseFace): the frame kept around a featureless box, the least box, the most of the window it may cover, the most look-alikes. */
const FACE_FRAME_PX = 4;
const FACE_MIN = { width: 24, height: 12 };
const FACE_MAX_SHARE = 0.5;
const FACE_MAX_LOOKALIKES = 12;
/** A core crop this flat (standard deviation of its grey levels) shows nothing to tell it by. */
const FLAT_SPREAD = 12;
/** A crop region whose share of changed pixels between two pictures is at most this is the same in both. */
const UNCHANGED_FRACTION = 0.005;
/** A crop whose second-best place on screen scores this well could be mistaken for it. */
const AMBIGUOUS = 0.85;
/** The screen before a click, and the window that was active then (a click can close it). */
interface Picture {
  screen: Bitmap;
  window: DesktopWindow | undefined;
  /** The active window's controls as the accessibility API listed them then, if it could. */
  a11y: A11ySnapshot | undefined;
  /** The windows on screen then, topmost first (undefined where the platform cannot list them). */
  stack: StackedWindow[] | undefined;
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
  /** Counts presses in one place as a double click (the hook counts them anywhere). */
  private readonly presses = new PressCounter();
  /** The index of the step the previous press was recorded as (undefined when it made none): a second press can only make that one a double click. */
  private lastClickStep: number | undefined;
  private queue: Promise<void> = Promise.resolve();
  private launched: LaunchedProgram | undefined;
  /** The window of the last click that was recorded (not one in an ignored window): what assertions check. */
  private lastRecordedWindow: DesktopWindow | undefined;
  private ignoredWindowId: string | undefined;
  /** Keys count only after a click in a recorded window (before that, focus is in the terminal). */
  private keysGoTo: 'recorded' | 'ignored' = 'ignored';
  /**
   * The window with the focus as last read: after the last click (once it settled) or at the last
   * key. A key goes to the window that had the focus before it; hooks report it late, when a key
   * that closes a window (Enter in a dialog) has already closed it.
   */
  private focusNow: Promise<DesktopWindow | undefined> | undefined;
  private hook: typeof import('uiohook-napi').uIOhook | undefined;
  /** Reports focus changes as they happen, so that keys need no lookup of their own (undefined: a lookup per key). */
  private focusWatch: FocusWatch | undefined;
  /** Set as stop() catches up with the hook: input heard after that is not recorded. */
  private hookStopped = false;
  /** Marks the moment stop() is called in the input stream (see hook-drain.ts). */
  private pointerMark: PointerMark | undefined;
  /**
   * Where typed secrets show, per window (window-relative; no region: anywhere in it). No image
   * target is cropped across them, and no text read from them becomes a target.
   */
  private readonly secretAreas = new Map<string, { size: { width: number; height: number }; region?: Rect }>();
  /** The window as it was before the last click (when a trusted picture showed it): what typing changes are seen against. */
  private typingBase: { windowId: string; pixels: Bitmap } | undefined;
  private readonly dir: string;
  private readonly base: string;

  private constructor(private readonly options: DesktopRecorderOptions) {
    this.builder = new DesktopStepBuilder(options.onStep, options.secrets);
    this.preClick = new PreClickScreen<Picture>(
      async () => {
        const { screen, window } = await lookAtScreen(options.lookSources);
        const a11y = window && !this.ignored(window) ? await snapshotOf(window).catch(() => undefined) : undefined;
        const stack = await stackedWindows().catch(() => undefined);
        return { screen, window, a11y, stack };
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
    if (options.watchFocus !== false) recorder.focusWatch = await FocusWatch.start();
    if (options.launch) await recorder.launch(options.launch);
    const { uIOhook } = await import('uiohook-napi');
    recorder.hook = uIOhook;
    recorder.pointerMark = await loadPointerMark();
    uIOhook.on('mousedown', recorder.onMouseDown);
    uIOhook.on('keydown', recorder.onKeyDown);
    uIOhook.on('mouseup', recorder.onOtherInput);
    uIOhook.on('keyup', recorder.onOtherInput);
    uIOhook.on('wheel', recorder.onOtherInput);
    uIOhook.start();
    // The hook runs on a native thread of its own: a process that ends without stop() (a crash, a
    // failed check) would tear the X connection down under it and die with SIGSEGV on the way out.
    process.once('exit', recorder.stopHookAtExit);
    recorder.preClick.start();
    return recorder;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => this.options.onProblem?.(`could not record an action: ${(error as Error).message}`));
  }

  private readonly onMouseDown = (event: UiohookMouseEvent): void => {
    if (this.hookStopped) return;
    const clicks = this.presses.count({ x: event.x, y: event.y, button: Number(event.button), reported: event.clicks });
    const button = event.button === 1 ? 'left' : event.button === 2 ? 'right' : undefined;
    if (!button) {
      this.preClick.input();
      return;
    }
    // The screen before the click (taken ahead of time), and after it: hooks report the press
    // once the program has reacted. A click in another window is placed once that is focused.
    const older = this.preClick.recent();
    const earlier = this.preClick.earlier();
    const before = this.preClick.beforeClick();
    const after = captureScreen();
    after.catch(() => undefined);
    const window = new Promise<DesktopWindow | undefined>((resolve) => setTimeout(() => resolve(activeWindow().catch(() => undefined)), FOCUS_SETTLE_MS));
    // And at once: a fast click that closes its window (OK right after choosing) leaves nothing to read 150 ms later.
    const atPress = activeWindow().catch(() => undefined);
    this.focusNow = window;
    const stackAtPress = stackedWindows().catch(() => undefined);
    const point = { x: event.x, y: event.y };
    this.enqueue(() => this.recordClick(button, clicks, point, before, after, window, older, atPress, earlier, stackAtPress));
  };

  private readonly onKeyDown = (event: UiohookKeyboardEvent): void => {
    if (this.hookStopped) return;
    this.preClick.input();
    const key = { keycode: event.keycode, shift: event.shiftKey, ctrl: event.ctrlKey, alt: event.altKey, meta: event.metaKey };
    const title = (window: DesktopWindow | undefined): string | undefined => (window?.title && !this.ignored(window) ? window.title : undefined);
    // Which window the key went to. With the focus watch: the window that had the focus at the
    // key's own time (no lookup unless the focus changed since the last one; see focus-watch.ts).
    const watch = this.focusWatch;
    if (watch?.placesTime(event.time)) {
      const at = watch.windowAt(event.time);
      this.focusNow = at;
      this.enqueue(async () => {
        if (this.keysGoTo !== 'recorded') return;
        const window = await at;
        // A key that went to an ignored window (the terminal the recording runs in) is not the program's.
        if (window && this.ignored(window)) return;
        const secret = this.builder.pendingSecret;
        this.builder.key(key, { before: title(window), after: title(window) });
        if (secret && !this.builder.pendingText) await this.noteSecretShown(undefined);
      });
      return;
    }
    // Without it: the focus before the key, and as it is now (read at once, not queued).
    const before = this.focusNow;
    const now = activeWindow().catch(() => undefined);
    this.focusNow = now;
    this.enqueue(async () => {
      if (this.keysGoTo !== 'recorded') return;
      const secret = this.builder.pendingSecret;
      const [was, is] = await Promise.all([before, now]);
      this.builder.key(key, { before: title(was), after: title(is) });
      // A key that ended the typing of a secret (Enter, Tab): note where it shows now.
      if (secret && !this.builder.pendingText) await this.noteSecretShown(undefined);
    });
  };

  /** Releases and the wheel change the screen too, though they make no step. */
  private readonly onOtherInput = (): void => {
    if (!this.hookStopped) this.preClick.input();
  };

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
    older: Picture[],
    atPress: Promise<DesktopWindow | undefined>,
    earlier: Picture[],
    stackAtPress: Promise<StackedWindow[] | undefined>,
  ): Promise<void> {
    // Typing of a secret that this click ends: where it shows, before anything is cropped or read.
    if (this.builder.pendingSecret) await this.noteSecretShown(picture?.screen ?? (await afterPromise.catch(() => undefined)));
    const { window, closed } = await this.clickedWindow(point, picture, windowPromise, atPress, older[0], stackAtPress);
    this.lastWindow = window;
    const previousClickStep = this.lastClickStep;
    this.lastClickStep = undefined;
    if (!window) {
      // Never dropped quietly: a replay without this click would do something else.
      this.keysGoTo = 'ignored';
      this.options.onProblem?.(
        `a click at (${Math.round(point.x)}, ${Math.round(point.y)}) on the screen was NOT recorded: no window could be placed under it (it closed before the recorder could look); pause a moment before clicking, or add the step by hand`,
      );
      return;
    }
    if (this.ignored(window)) {
      this.keysGoTo = 'ignored';
      return;
    }
    this.keysGoTo = 'recorded';
    this.lastRecordedWindow = window;
    const before = picture?.screen;
    const offset = { x: point.x - window.rect.x, y: point.y - window.rect.y };
    const windowSize = { width: window.rect.width, height: window.rect.height };
    // The second press of a double click turns the click its first press made (the last step,
    // nothing typed since) into a double click. Any other press is recorded as a click of its
    // own, with its targets: never merged into an older step, never kept by coordinates quietly.
    if (clicks === 2 && button === 'left' && previousClickStep !== undefined && previousClickStep === this.builder.steps.length - 1 && this.builder.steps[previousClickStep]?.kind === 'desktop.click' && !this.builder.pendingText) {
      this.builder.click({ button, clicks, windowTitle: window.title, offset, windowSize });
      this.lastClickStep = previousClickStep;
      return;
    }
    clicks = 1;
    const windowBefore = before && crop(before, window.rect);
    // A window that the click closed cannot be compared with what came after it; it was the
    // active window when the picture was taken, so the picture shows it.
    const after = closed ? undefined : crop(await afterPromise, window.rect);
    const fresh = windowBefore && (closed || (await changedFraction(windowBefore, after!)) <= STALE_FRACTION);
    // What typing after this click changes is seen against the window as it was before it.
    this.typingBase = fresh && windowBefore ? { windowId: window.id, pixels: windowBefore } : undefined;
    // The controls listed with a picture that is too old are as old: then the window as it is now.
    const a11y = await this.accessibleAt(point, window, fresh ? picture : undefined, closed);
    const click: RecordedClick = { button, clicks, windowTitle: window.title, offset, windowSize, ...(a11y ? { a11y } : {}) };
    let problem: string | undefined;
    if (!before || !windowBefore || !fresh) {
      // A crop of the screen after the click could match another place at replay (where the
      // click has not happened yet): no image then. Texts and labels do not move when a control
      // is clicked, so they are read from the window as it is after the click when it is open,
      // else from the newest picture that shows it (taken before earlier input).
      const shown = older.find((p) => p.window?.id === window.id);
      const source = after ?? (shown ? crop(shown.screen, window.rect) : undefined);
      const read = source ? await this.readTargets(source, offset, window) : {};
      Object.assign(click, read);
      // Pictures from before earlier input (surely before this click), where the crop's place is
      // the same as after the click: what input changed in between (a display, a focus ring, a
      // pressed key) is not in it, so it shows the control as replay will find it.
      const pictures = [...(windowBefore ? [windowBefore] : []), ...earlier.filter((p) => p.window?.id === window.id && sameRect(p.window.rect, window.rect)).map((p) => crop(p.screen, window.rect))];
      const stable = after ? await this.stableCrops(pictures, after, window, point) : {};
      if (stable.context) click.image = this.imageSaver(stable.context, click, '');
      if (stable.core) click.core = this.imageSaver(stable.core, click, 'core');
      const why = !before ? 'the screen had not settled since the previous input' : 'the window changed too much just before the click';
      const kept = read.text ? `its text "${read.text}" and coordinates` : read.label ? `the label "${read.label.text}" beside it and coordinates` : 'its coordinates only';
      // The accessible control, when there is one, is a sound record on its own; so is an image
      // of a place that did not change from before earlier input to after the click.
      if (!a11y && !stable.context && !stable.core) problem = `the click at (${Math.round(offset.x)}, ${Math.round(offset.y)}) in "${window.title}" was recorded by ${kept}: ${why}; pause a moment before clicking to get an image target`;
    } else {
      const context = await this.chooseCrop(windowBefore, window, point);
      const core = await this.chooseCore(windowBefore, window, point, context?.rect);
      const template = context?.template;
      Object.assign(click, await this.readTargets(windowBefore, offset, window));
      if (template) click.image = this.imageSaver(template, click, '');
      if (core) click.core = this.imageSaver(core.template, click, 'core');
      const face = await this.chooseFace(windowBefore, window, point);
      if (face) click.face = { image: this.imageSaver(face.template, click, 'face'), at: face.at, ...(face.nth ? { nth: face.nth } : {}) };
      // Nothing to tell the place by but the featureless area around it (an empty text area):
      // its colour and bounds, so that replay finds it again in a resized window.
      if (!template && !core && !a11y && !click.text && !click.label) {
        const area = flatAreaAt(windowBefore, offset);
        const secret = this.secretArea(window);
        if (area && area.rect.width >= AREA_MIN.width && area.rect.height >= AREA_MIN.height && area.solidity >= AREA_SOLIDITY && secret !== 'anywhere') click.area = { color: area.color, rect: area.rect };
      }
      // Never coordinates only without saying so.
      if (!template && !core && !a11y && !click.text && !click.label && !click.area) problem = `the click at (${Math.round(offset.x)}, ${Math.round(offset.y)}) in "${window.title}" was recorded by its coordinates only: no picture, text or label there could be told apart; add a target by hand or click on the control's text`;
    }
    this.builder.click(click);
    this.lastClickStep = this.builder.steps.length - 1;
    // Said after the step it belongs to, naming it.
    if (problem) this.options.onProblem?.(`step ${this.builder.steps.length}: ${problem}`);
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
    const selector = element && selectorFor(element, snapshot.elements);
    // A control named by what it shows (an entry's text) must not be named by a secret.
    return selector && !this.builder.showsSecret(JSON.stringify(selector)) ? selector : undefined;
  }

  /**
   * Which window the click went to. Reading the active window after the press misses a click
   * that closes its window (an OK button): by then the window is gone and its parent active.
   * So the window active in the picture from before the click wins when the point is inside it
   * (it was on top, being active); else the window of the previous click, when the point is
   * inside it and it has closed since; else the window active in the newest picture (though
   * input since made it untrusted), likewise; else the window focused after the press.
   */
  private async clickedWindow(
    point: { x: number; y: number },
    picture: Picture | undefined,
    settledPromise: Promise<DesktopWindow | undefined>,
    atPressPromise: Promise<DesktopWindow | undefined>,
    newestPicture: Picture | undefined,
    stackAtPressPromise: Promise<StackedWindow[] | undefined>,
  ): Promise<{ window: DesktopWindow | undefined; closed: boolean }> {
    // The topmost window at the point just before the press is the one the click landed on —
    // not the active window, which a window mapped over it without the focus (a notification,
    // a dialog that stole no focus) leaves active below it. A popup (a menu, a drop-down list)
    // is part of the window that opened it, which the rules below find.
    const under = picture?.stack && windowAtPoint(picture.stack, point);
    if (under && under.kind === 'window' && under.title && contains(under.rect, point)) {
      const window: DesktopWindow = { id: under.id, title: under.title, rect: under.rect };
      return { window, closed: !(await windowById(under.id).catch(() => undefined)) };
    }
    const known = picture?.window;
    const newest = newestPicture?.window;
    if (!picture) {
      // No trusted picture from just before the press (input came just before it): a window
      // that was on top at the point in the newest picture and still is at the press, and is
      // still open, was under the pointer throughout — the click cannot have opened it.
      const stackAtPress = await stackAtPressPromise;
      const before = newestPicture?.stack && windowAtPoint(newestPicture.stack, point);
      const atPress = stackAtPress && windowAtPoint(stackAtPress, point);
      if (before && atPress && before.id === atPress.id && before.kind === 'window' && before.title && contains(atPress.rect, point) && (await windowById(atPress.id).catch(() => undefined))) {
        return { window: { id: atPress.id, title: atPress.title, rect: atPress.rect }, closed: false };
      }
    }
    if (known && contains(known.rect, point)) {
      const now = await windowById(known.id).catch(() => undefined);
      return { window: known, closed: !now };
    }
    const settled = await settledPromise;
    // A window that was on top over the point and has closed since the click: the click closed
    // it. Without this, the first click in a dialog right after a key (no trusted picture, no
    // earlier click) that closed it went to whatever was active behind it — the terminal the
    // recording runs in, which is ignored, so the click was left out without a word.
    for (const gone of [this.lastWindow, newest]) {
      if (gone && gone.id !== settled?.id && contains(gone.rect, point) && !(await windowById(gone.id).catch(() => undefined))) return { window: gone, closed: true };
    }
    if (!settled || !contains(settled.rect, point)) {
      // Gone by the time the focus settled: the window active at the press, if the point is in it.
      const atPress = await atPressPromise;
      if (atPress && contains(atPress.rect, point)) return { window: atPress, closed: !(await windowById(atPress.id).catch(() => undefined)) };
    }
    return { window: settled, closed: false };
  }

  /**
   * The smallest crop centred on the point that matches nowhere else in the window. Replay
   * clicks the centre of where the crop matches, so near a window edge the crop shrinks on both
   * sides rather than shifting (a shifted crop sent replay one xcalc key left).
   */
  private async chooseCrop(windowPixels: Bitmap, window: DesktopWindow, point: { x: number; y: number }): Promise<{ template: Bitmap; rect: Rect } | undefined> {
    const windowRect = window.rect;
    const local = { x: Math.round(point.x - windowRect.x), y: Math.round(point.y - windowRect.y) };
    const secret = this.secretArea(window);
    // A window where a secret shows somewhere unknown gives no pictures at all.
    if (secret === 'anywhere') return undefined;
    let tried = '';
    for (const size of CROPS) {
      let halfWidth = Math.min(size.width / 2, local.x, windowPixels.width - local.x);
      let halfHeight = Math.min(size.height / 2, local.y, windowPixels.height - local.y);
      // Never a picture of a secret: the crop shrinks (still centred on the point) to leave it out.
      if (secret) [halfWidth, halfHeight] = clearOf(local, halfWidth, halfHeight, secret);
      if (halfWidth < 8 || halfHeight < 6) return undefined;
      const rect = { x: local.x - halfWidth, y: local.y - halfHeight, width: 2 * halfWidth, height: 2 * halfHeight };
      const key = `${rect.width}x${rect.height}`;
      if (key === tried) continue; // clipped by the window to the size already found ambiguous
      tried = key;
      const template = crop(windowPixels, rect);
      if ((await runnerUpScore(windowPixels, template)) >= AMBIGUOUS) continue;
      return { template, rect };
    }
    return undefined;
  }

  /**
   * The smallest core crop centred on the point (see CORES) that shows something (not a flat
   * area) and matches nowhere else in the window; undefined when none does, or when it would be
   * no smaller than the context crop (`context`).
   */
  private async chooseCore(windowPixels: Bitmap, window: DesktopWindow, point: { x: number; y: number }, context: Rect | undefined): Promise<{ template: Bitmap; rect: Rect } | undefined> {
    const local = { x: Math.round(point.x - window.rect.x), y: Math.round(point.y - window.rect.y) };
    const secret = this.secretArea(window);
    if (secret === 'anywhere') return undefined;
    for (const size of CORES) {
      const halfWidth = Math.min(size.width / 2, local.x, windowPixels.width - local.x);
      const halfHeight = Math.min(size.height / 2, local.y, windowPixels.height - local.y);
      if (halfWidth < size.width / 2 || halfHeight < size.height / 2) return undefined;
      const rect = { x: local.x - halfWidth, y: local.y - halfHeight, width: 2 * halfWidth, height: 2 * halfHeight };
      if (context && rect.width >= context.width && rect.height >= context.height) return undefined;
      // Never a picture of a secret (the core is small: it is left out rather than shrunk).
      if (secret && intersects(secret, rect)) return undefined;
      const template = crop(windowPixels, rect);
      if (greySpread(template) < FLAT_SPREAD) continue;
      if ((await runnerUpScore(windowPixels, template)) >= AMBIGUOUS) continue;
      return { template, rect };
    }
    return undefined;
  }

  /**
   * The whole face of the clicked control when it is a featureless box (an entry, a text area):
   * the box of one colour around the point with its frame, and — when other places of the window
   * look the same (identical empty entries) — its place among them in reading order. Such a
   * control has no picture, text or label of its own that survives a moved or resized window;
   * its order among its look-alikes does while the window's structure holds. Undefined when the
   * point is in no such box, a secret shows there, or the order is not plain.
   */
  private async chooseFace(windowPixels: Bitmap, window: DesktopWindow, point: { x: number; y: number }): Promise<{ template: Bitmap; at: { x: number; y: number }; nth?: Nth } | undefined> {
    const local = { x: Math.round(point.x - window.rect.x), y: Math.round(point.y - window.rect.y) };
    const secret = this.secretArea(window);
    if (secret === 'anywhere') return undefined;
    const box = flatAreaAt(windowPixels, local);
    if (!box || box.solidity < AREA_SOLIDITY || box.rect.width < FACE_MIN.width || box.rect.height < FACE_MIN.height) return undefined;
    const rect = { x: box.rect.x - FACE_FRAME_PX, y: box.rect.y - FACE_FRAME_PX, width: box.rect.width + 2 * FACE_FRAME_PX, height: box.rect.height + 2 * FACE_FRAME_PX };
    // The window's own background, or a box cut by the window's edge, is no control's face.
    if (rect.x < 0 || rect.y < 0 || rect.x + rect.width > windowPixels.width || rect.y + rect.height > windowPixels.height) return undefined;
    if (rect.width * rect.height > FACE_MAX_SHARE * windowPixels.width * windowPixels.height) return undefined;
    if (secret && intersects(secret, rect)) return undefined;
    const template = crop(windowPixels, rect);
    const { places } = await findImage(windowPixels, template, { scales: [1], goodEnough: 0.95, margin: 0.1, limit: FACE_MAX_LOOKALIKES + 1 });
    const at = { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
    const own = places.find((place) => Math.abs(place.rect.x - rect.x) <= 2 && Math.abs(place.rect.y - rect.y) <= 2);
    if (!own || places.length > FACE_MAX_LOOKALIKES) return undefined;
    if (places.length === 1) return { template, at };
    const nth = nthOf(own, places);
    return nth ? { template, at, nth } : undefined;
  }

  /**
   * Context and core crops for a click with no trusted picture from just before it: taken from
   * the newest of `pictures` (the window before earlier input) in which the crop's place looks
   * as it does in `after` (the window just after the click). A place that is the same before
   * earlier input and after the click was the same just before the click.
   */
  private async stableCrops(pictures: Bitmap[], after: Bitmap, window: DesktopWindow, point: { x: number; y: number }): Promise<{ context?: Bitmap; core?: Bitmap }> {
    const unchanged = async (picture: Bitmap, rect: Rect): Promise<boolean> =>
      picture.width === after.width && picture.height === after.height && (await changedFraction(crop(picture, rect), crop(after, rect))) <= UNCHANGED_FRACTION;
    const found: { context?: Bitmap; core?: Bitmap } = {};
    for (const picture of pictures) {
      if (picture.width !== after.width || picture.height !== after.height) continue;
      if (!found.context) {
        const context = await this.chooseCrop(picture, window, point);
        if (context && (await unchanged(picture, context.rect))) found.context = context.template;
      }
      if (!found.core) {
        const core = await this.chooseCore(picture, window, point, undefined);
        if (core && (await unchanged(picture, core.rect))) found.core = core.template;
      }
      if (found.context && found.core) break;
    }
    // A core as large as the context crop adds nothing.
    if (found.context && found.core && found.core.width >= found.context.width && found.core.height >= found.context.height) delete found.core;
    return found;
  }

  /** Saves `template` when the step's number is known (see RecordedClick.image). */
  private imageSaver(template: Bitmap, click: RecordedClick, kind: '' | 'core' | 'face'): (stepNumber: number) => string {
    return (stepNumber) => this.saveImage(template, stepNumber, click, kind);
  }

  /** Saves a crop as PNG beside the automation, named after its step: "<base>-step5-ok.png". */
  private saveImage(template: Bitmap, stepNumber: number, click: RecordedClick, kind: '' | 'core' | 'face' = ''): string {
    const words = (click.text ?? click.label?.text ?? '').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30);
    const file = `${this.base}-step${stepNumber}${words ? `-${words}` : ''}${kind ? `-${kind}` : ''}.png`;
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, file), encodePng(template));
    return file;
  }

  /**
   * The text targets of a click, from one OCR of the window: the word or phrase under the
   * pointer (a button's face, a list row) when it is on one line of the window only; otherwise
   * the label beside the clicked control — the nearest phrase left of the point on its row, else
   * the nearest one just above it — when that label is on one line of the window only.
   */
  private async readTargets(windowPixels: Bitmap, offset: { x: number; y: number }, window: DesktopWindow): Promise<Pick<RecordedClick, 'text' | 'label'>> {
    // Where a typed secret shows is painted over before reading, and no word that holds one is used.
    const secret = this.secretArea(window);
    let pixels = windowPixels;
    if (secret && secret !== 'anywhere') {
      pixels = { ...windowPixels, data: Buffer.from(windowPixels.data) };
      paintOver(pixels, secret);
    }
    const { words: seen } = await recognize(pixels, 'sparse');
    const words = seen.filter((word) => !this.builder.showsSecret(word.text));
    const readable = words.filter((word) => word.confidence >= 0.6 && /[\p{L}\p{N}]/u.test(word.text));
    const unique = (phrase: string): boolean => findTextAll(words, { text: phrase, exact: true }).length === 1;
    const inside = (word: OcrWord): boolean =>
      offset.x >= word.box.x - 3 && offset.x <= word.box.x + word.box.width + 3 && offset.y >= word.box.y - 3 && offset.y <= word.box.y + word.box.height + 3;
    const hit = readable.find(inside);
    if (hit) {
      const phrase = phraseOf(words, hit);
      return unique(phrase.text) && !this.builder.showsSecret(phrase.text) ? { text: phrase.text } : {};
    }
    const middle = (word: OcrWord): number => word.box.y + word.box.height / 2;
    // Left of the point on its row: the nearest word whose middle is level with the point.
    const left = readable
      .filter((word) => word.box.x + word.box.width < offset.x && Math.abs(middle(word) - offset.y) <= Math.max(8, word.box.height * 0.6) && offset.x - (word.box.x + word.box.width) <= LABEL_REACH_PX)
      .sort((a, b) => b.box.x + b.box.width - (a.box.x + a.box.width))[0];
    if (left) {
      const phrase = phraseOf(words, left);
      if (unique(phrase.text)) {
        const anchor = { x: phrase.rect.x + phrase.rect.width, y: phrase.rect.y + phrase.rect.height / 2 };
        return { label: { text: phrase.text, side: 'right', distance: { x: offset.x - anchor.x, y: offset.y - anchor.y } } };
      }
      return {};
    }
    // Above the point: the nearest word whose bottom is within reach above it and that starts left of it.
    const above = readable
      .filter((word) => word.box.y + word.box.height <= offset.y && offset.y - (word.box.y + word.box.height) <= LABEL_ABOVE_PX && word.box.x <= offset.x && offset.x - word.box.x <= LABEL_REACH_PX)
      .sort((a, b) => b.box.y + b.box.height - (a.box.y + a.box.height))[0];
    if (above) {
      const phrase = phraseOf(words, above);
      if (unique(phrase.text)) {
        const anchor = { x: phrase.rect.x, y: phrase.rect.y + phrase.rect.height };
        return { label: { text: phrase.text, side: 'below', distance: { x: offset.x - anchor.x, y: offset.y - anchor.y } } };
      }
    }
    return {};
  }

  /** Starts the program to record, waits for its first window and records both as a desktop.launch step. */
  private async launch({ program, args }: { program: string; args: string[] }): Promise<void> {
    const before = new Set((await findWindows('/./')).map((window) => window.id));
    this.launched = await launchProgram({ program, args, cwd: process.cwd(), signal: new AbortController().signal });
    const deadline = Date.now() + LAUNCH_WINDOW_MS;
    let window: DesktopWindow | undefined;
    while (!(window = (await findWindows('/./')).find((candidate) => !before.has(candidate.id)))) {
      if (Date.now() > deadline) {
        await this.launched.close();
        throw new RpaError(`${program} started but showed no window within ${LAUNCH_WINDOW_MS / 1000} s; nothing was recorded`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    this.builder.add({ kind: 'desktop.launch', program, ...(args.length ? { args } : {}), waitForWindow: window.title });
  }

  /**
   * The next typing in the program (until a click, or a key that types no character) is the
   * secret `name`: it is recorded as {{secrets.name}} and never kept, shown or written.
   */
  markSecret(name: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RpaError(`"${name}" cannot name a secret: use letters, digits and "_", starting with a letter`);
    this.enqueue(() => {
      this.builder.markSecret(name);
      return Promise.resolve();
    });
  }

  /**
   * Notes where the secret just typed shows in the window typed into: what changed there since
   * the picture before the last click (`screen` shows it now, else the screen is captured). When
   * that cannot be told, the whole window counts.
   */
  private async noteSecretShown(screen: Bitmap | undefined): Promise<void> {
    const typedInto = this.lastRecordedWindow;
    if (!typedInto) return;
    const window = await windowById(typedInto.id).catch(() => undefined);
    if (!window) return; // closed: it shows nothing any more
    const size = { width: window.rect.width, height: window.rect.height };
    const base = this.typingBase?.windowId === window.id ? this.typingBase.pixels : undefined;
    let region: Rect | undefined;
    if (base && base.width === size.width && base.height === size.height) {
      const now = crop(screen ?? (await captureScreen()), window.rect);
      const changed = changedBox(base, now);
      if (changed) region = { x: changed.x - SECRET_PAD_PX, y: changed.y - SECRET_PAD_PX, width: changed.width + 2 * SECRET_PAD_PX, height: changed.height + 2 * SECRET_PAD_PX };
    }
    const known = this.secretAreas.get(window.id);
    if (known && (!known.region || known.size.width !== size.width || known.size.height !== size.height)) region = undefined;
    else if (known?.region && region) region = unionRect(known.region, region);
    this.secretAreas.set(window.id, { size, ...(region && !(known && !known.region) ? { region } : {}) });
  }

  /** Where a typed secret shows in this window: a window-relative region, 'anywhere', or undefined (nowhere). */
  private secretArea(window: DesktopWindow): Rect | 'anywhere' | undefined {
    const area = this.secretAreas.get(window.id);
    if (!area) return undefined;
    if (!area.region || area.size.width !== window.rect.width || area.size.height !== window.rect.height) return 'anywhere';
    return area.region;
  }

  private shownSecretAt(window: DesktopWindow, rect: Rect): boolean {
    const area = this.secretArea(window);
    return area === 'anywhere' ? false : !!area && intersects(area, rect);
  }

  /**
   * Adds a check of what the desktop shows now, after the steps recorded so far:
   * - text: the phrase under the pointer in the window of the last click (OCR), in a region around it;
   * - windowOpen / windowClosed: the window of the last click is open / has closed;
   * - clipboard: the clipboard holds what it holds now.
   * Returns the step; throws a clear RpaError (and records nothing) when the check cannot be made.
   */
  async addAssertion(kind: RecordedAssertion, pointer?: { x: number; y: number }): Promise<Step> {
    await this.queue;
    const window = this.lastRecordedWindow;
    let step: Step;
    if (kind === 'clipboard') {
      const text = await readClipboard();
      if (!text) throw new RpaError('the clipboard is empty: copy something in the program first');
      step = { kind: 'desktop.assert', assert: 'clipboardEquals', expected: text };
    } else {
      if (!window) throw new RpaError('no window recorded yet: click in the program first, then add the check');
      if (kind === 'windowOpen' || kind === 'windowClosed') {
        const open = (await windowById(window.id).catch(() => undefined)) !== undefined;
        if (open !== (kind === 'windowOpen')) throw new RpaError(`window "${window.title}" is ${open ? 'still open' : 'closed'} now; nothing recorded`);
        step = { kind: 'desktop.assert', assert: kind, window: window.title };
      } else {
        const now = await windowById(window.id).catch(() => undefined);
        if (!now) throw new RpaError(`window "${window.title}" has closed: there is no text to check in it`);
        const at = pointer ?? (await pointerPosition());
        const local = { x: at.x - now.rect.x, y: at.y - now.rect.y };
        if (!contains({ x: 0, y: 0, width: now.rect.width, height: now.rect.height }, local)) throw new RpaError(`point at the text to check inside "${now.title}" first`);
        const pixels = crop(await captureScreen(), now.rect);
        const { words } = await recognize(pixels, 'sparse');
        const near = (word: OcrWord): boolean => local.x >= word.box.x - 6 && local.x <= word.box.x + word.box.width + 6 && local.y >= word.box.y - 6 && local.y <= word.box.y + word.box.height + 6;
        const hit = words.find((word) => word.confidence >= 0.6 && near(word));
        if (!hit) throw new RpaError(`no readable text under the pointer at (${Math.round(local.x)}, ${Math.round(local.y)}) in "${now.title}"`);
        const phrase = phraseOf(words, hit);
        if (this.builder.showsSecret(phrase.text) || this.shownSecretAt(now, phrase.rect)) throw new RpaError(`the text under the pointer in "${now.title}" shows a secret typed while recording: a check of it would keep the secret in the file; nothing recorded`);
        const pad = 12;
        const x = Math.max(0, Math.floor(phrase.rect.x - pad));
        const y = Math.max(0, Math.floor(phrase.rect.y - pad));
        const region = { x, y, width: Math.min(now.rect.width - x, Math.ceil(phrase.rect.width + 2 * pad)), height: Math.min(now.rect.height - y, Math.ceil(phrase.rect.height + 2 * pad)) };
        step = { kind: 'desktop.assert', assert: 'textContains', window: now.title, region, expected: phrase.text };
      }
    }
    this.builder.add(step);
    return step;
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

  private readonly stopHookAtExit = (): void => {
    this.focusWatch?.stop();
    try {
      this.hook?.stop();
    } catch {
      // already stopped
    }
  };

  /** Stops the hooks, takes in the input they heard before that, waits for the last captures, writes and validates the automation. */
  async stop(): Promise<{ file: string; automation: Automation }> {
    process.removeListener('exit', this.stopHookAtExit);
    // What the hook heard before now may still be on its way (see hook-drain.ts): take it in, and nothing after.
    const hook = this.hook;
    if (hook) {
      const stopHook = (): void => {
        this.hookStopped = true;
        hook.stop();
      };
      if (this.pointerMark) await catchUpWithHook(hook, this.pointerMark, stopHook);
      else stopHook();
    }
    this.hook?.removeListener('mousedown', this.onMouseDown);
    this.hook?.removeListener('keydown', this.onKeyDown);
    for (const event of ['mouseup', 'keyup', 'wheel']) this.hook?.removeListener(event, this.onOtherInput);
    this.preClick.stop();
    await this.queue;
    this.focusWatch?.stop();
    this.builder.flushTyping();
    await closeOcr();
    await this.launched?.close();
    if (!this.builder.steps.length) throw new RpaError('nothing was recorded (no clicks or typing in another window); no file written');
    const automation: Automation = {
      format: FORMAT_VERSION,
      id: this.options.id,
      name: this.options.name ?? `Desktop recording ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
      version: '1.0.0',
      description: 'Recorded with rpa record --desktop.',
      ...(this.builder.secretNames.size ? { secrets: [...this.builder.secretNames] } : {}),
      steps: this.builder.steps,
    };
    const file = path.resolve(this.options.out);
    writeFileSync(file, `${JSON.stringify(automation, null, 2)}\n`);
    loadAutomation(file);
    return { file, automation };
  }
}

/** Pixels around what typing a secret changed that count as showing it (the field's frame, the cursor). */
const SECRET_PAD_PX = 3;

/**
 * The half sizes of a crop centred on `point` that leaves `area` out: whichever of shrinking its
 * height or its width keeps more of it (a point inside the area leaves nothing).
 */
function clearOf(point: { x: number; y: number }, halfWidth: number, halfHeight: number, area: Rect): [number, number] {
  const rect = { x: point.x - halfWidth, y: point.y - halfHeight, width: 2 * halfWidth, height: 2 * halfHeight };
  if (!intersects(rect, area)) return [halfWidth, halfHeight];
  // Room above or below the point, left or right of it, before the area begins.
  const vertical = point.y >= area.y + area.height ? point.y - (area.y + area.height) : point.y < area.y ? area.y - point.y : 0;
  const horizontal = point.x >= area.x + area.width ? point.x - (area.x + area.width) : point.x < area.x ? area.x - point.x : 0;
  const byHeight: [number, number] = [halfWidth, Math.min(halfHeight, vertical)];
  const byWidth: [number, number] = [Math.min(halfWidth, horizontal), halfHeight];
  return byHeight[0] * byHeight[1] >= byWidth[0] * byWidth[1] ? byHeight : byWidth;
}

/** How far right of its label a control may be clicked, or below it. */
const LABEL_REACH_PX = 320;
const LABEL_ABOVE_PX = 40;

/** The word with the words of its line that sit close to it: a button or label reads as one phrase. */
function phraseOf(words: readonly OcrWord[], hit: OcrWord): { text: string; rect: Rect } {
  const line = words.filter((word) => word.line === hit.line).sort((a, b) => a.box.x - b.box.x);
  let start = line.indexOf(hit);
  let end = start;
  const gap = hit.box.height * 0.8;
  while (start > 0 && line[start]!.box.x - (line[start - 1]!.box.x + line[start - 1]!.box.width) < gap) start--;
  while (end < line.length - 1 && line[end + 1]!.box.x - (line[end]!.box.x + line[end]!.box.width) < gap) end++;
  const run = line.slice(start, end + 1);
  const left = Math.min(...run.map((word) => word.box.x));
  const top = Math.min(...run.map((word) => word.box.y));
  const right = Math.max(...run.map((word) => word.box.x + word.box.width));
  const bottom = Math.max(...run.map((word) => word.box.y + word.box.height));
  // A label's colon is not part of its name (OCR reads it or not).
  const text = run.map((word) => word.text).join(' ').trim().replace(/[:：]+$/u, '');
  return { text, rect: { x: left, y: top, width: right - left, height: bottom - top } };
}

/** Where the pointer is now. */
async function pointerPosition(): Promise<{ x: number; y: number }> {
  const { mouse } = await import('@nut-tree-fork/nut-js');
  const { x, y } = await mouse.getPosition();
  return { x, y };
}

const sameRect = (a: Rect, b: Rect): boolean => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** The standard deviation of a picture's grey levels: near 0 for a flat area. */
function greySpread(bitmap: Bitmap): number {
  let sum = 0;
  let squares = 0;
  const count = bitmap.width * bitmap.height;
  if (!count) return 0;
  for (let i = 0; i < bitmap.data.length; i += 4) {
    const grey = 0.299 * bitmap.data[i]! + 0.587 * bitmap.data[i + 1]! + 0.114 * bitmap.data[i + 2]!;
    sum += grey;
    squares += grey * grey;
  }
  const mean = sum / count;
  return Math.sqrt(Math.max(0, squares / count - mean * mean));
}
