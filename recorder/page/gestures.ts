// Page-side: which gesture of the person the page is handling right now. A gesture is a press
// (of the mouse or of a key) and every event it causes: a new one begins at pointerdown and
// keydown; the events that follow a press in later tasks (mouseup, click, keyup, input…)
// continue it; any other input the person makes (a <select>'s choice, a file picked, a drop)
// begins one of its own. While the page handles such an event — in the same task, so also a
// click's default action (a form's submit handlers) — the gesture is "active": a dialog the
// page opens then was opened by it. Recorded actions carry the gesture they were sent in, so
// Node can put the dialog before the action exactly, without comparing clocks. A timer the
// page starts while handling a gesture (setTimeout, requestAnimationFrame) carries it: its
// callback runs as a later part of that gesture, so a dialog it opens is still the gesture's.
import { replaceNative } from './native.ts';

/** Events only the person makes (the recorder ignores untrusted ones). */
const INPUT_EVENTS = [
  'pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'auxclick', 'dblclick', 'contextmenu',
  'keydown', 'keypress', 'keyup', 'beforeinput', 'input', 'change', 'paste', 'cut', 'dragstart', 'dragend', 'drop',
] as const;
const BEGINS = new Set<string>(['pointerdown', 'keydown']);
/** Events that come after a press, in tasks of their own, as part of it. */
const CONTINUES = new Set<string>(['mousedown', 'pointerup', 'mouseup', 'click', 'auxclick', 'dblclick', 'contextmenu', 'keypress', 'keyup', 'beforeinput', 'input']);

/** Per document: gesture ids are unique across frames and page loads. */
const PREFIX = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export interface GestureInfo {
  /** The gesture whose events are being handled in this task. */
  active: string | undefined;
  /** The person's latest gesture in this document, and when it began (page clock). */
  latest: string | undefined;
  latestAt: number;
  /** The document is still loading (parsing, or its load event being handled). */
  loading: boolean;
  /** The active gesture is carried by a timer it started: a task after its own events. */
  later: boolean;
}

export class Gestures {
  private count = 0;
  private active: string | undefined;
  private later = false;
  private latest: string | undefined;
  private latestAt = 0;
  private loadTask = false;
  private clearScheduled = false;
  private readonly channel = new MessageChannel();

  constructor() {
    // A message posted now is handled in a task after this one: the end of the current task.
    this.channel.port1.onmessage = () => {
      this.clearScheduled = false;
      this.active = undefined;
      this.later = false;
      this.loadTask = false;
    };
  }

  /** Listens on the window, capture phase; called before the recorder's other listeners so their messages carry the gesture. */
  listen(isOwnUi: (event: Event) => boolean): void {
    for (const type of INPUT_EVENTS) {
      window.addEventListener(type, (event) => {
        if (event.isTrusted && !isOwnUi(event)) this.touch(event.type);
      }, true);
    }
    window.addEventListener('load', () => {
      this.loadTask = true;
      this.endOfTask();
    }, true);
  }

  /** The gesture an input event of this type belongs to (beginning one when it is the first of a press). */
  touch(type: string): string {
    this.later = false;
    if (BEGINS.has(type)) this.active = this.begin();
    else if (!this.active) this.active = CONTINUES.has(type) && this.latest ? this.latest : this.begin();
    this.endOfTask();
    return this.active;
  }

  /**
   * Timers started while a gesture is handled carry it to their callbacks (replacing the
   * window's setTimeout and requestAnimationFrame with ones that look native: native.ts).
   */
  carryThroughTimers(): void {
    for (const name of ['setTimeout', 'requestAnimationFrame'] as const) {
      const native = Object.getOwnPropertyDescriptor(window, name)?.value as ((...args: unknown[]) => number) | undefined;
      if (typeof native !== 'function') continue;
      replaceNative(name, (...args: unknown[]): number => {
        const id = this.active;
        const callback = args[0];
        if (id && typeof callback === 'function') {
          args[0] = (...callbackArgs: unknown[]): void => {
            this.active = id;
            this.later = true;
            this.endOfTask();
            Reflect.apply(callback, window, callbackArgs);
          };
        }
        return Reflect.apply(native, window, args);
      });
    }
  }

  private begin(): string {
    this.latest = `${PREFIX}.${++this.count}`;
    this.latestAt = Date.now();
    return this.latest;
  }

  info(): GestureInfo {
    return { active: this.active, latest: this.latest, latestAt: this.latestAt, loading: document.readyState !== 'complete' || this.loadTask, later: this.later };
  }

  private endOfTask(): void {
    if (this.clearScheduled) return;
    this.clearScheduled = true;
    this.channel.port2.postMessage(null);
  }
}

/**
 * The recorders of this tab's frames that this one can reach (same origin), its own first:
 * a click in one frame may make the page ask in another (parent.confirm(), a frame's script).
 */
export function reachableRecorders(): Array<NonNullable<Window['__rpaRecorder']>> {
  const found: Array<NonNullable<Window['__rpaRecorder']>> = [];
  const visit = (win: Window): void => {
    try {
      const recorder = win.__rpaRecorder;
      if (recorder && !found.includes(recorder)) found.push(recorder);
      for (let i = 0; i < win.frames.length; i++) visit(win.frames[i]!);
    } catch {
      // another origin: its own recorder speaks for it
    }
  };
  if (window.__rpaRecorder) found.push(window.__rpaRecorder);
  let root: Window = window;
  try {
    while (root !== root.parent && root.parent.__rpaRecorder !== undefined) root = root.parent;
  } catch {
    // the parent is of another origin: this frame's subtree is what it can reach
  }
  visit(root);
  return found;
}

/** The gesture being handled anywhere this frame can see, else undefined. */
export function activeGesture(): string | undefined {
  return activeGestureInfo()?.id;
}

/** The same, and whether a timer of it is what runs now (GestureInfo.later). */
export function activeGestureInfo(): { id: string; later: boolean } | undefined {
  for (const recorder of reachableRecorders()) {
    const info = recorder.gestures();
    if (info.active) return { id: info.active, later: info.later };
  }
  return undefined;
}

/** The person's latest gesture among the frames this one can see. */
export function latestGesture(): string | undefined {
  let best: GestureInfo | undefined;
  for (const recorder of reachableRecorders()) {
    const info = recorder.gestures();
    if (info.latest && (!best || info.latestAt > best.latestAt)) best = info;
  }
  return best?.latest;
}
