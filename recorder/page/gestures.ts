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

/** The window's own Promise, kept before page scripts can replace it. */
const NativePromise = Promise;

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
  /** Requests (XMLHttpRequest) sent during a gesture: their events are of it. */
  private readonly targets = new WeakMap<object, string>();

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
   * Work the page starts while a gesture is handled carries the gesture to the callbacks that
   * finish it, in later tasks: timers (setTimeout, requestAnimationFrame) and requests (fetch,
   * the reading of its body, XMLHttpRequest). A dialog asked there (in a promise's callback
   * after `await fetch(…)`, an XHR's onload) is then still the gesture's. The replaced functions
   * look native (native.ts). A timer no gesture started runs as part of no gesture: a gesture
   * whose task just ended is forgotten there at once, not only when its end-of-task message
   * comes. Not carried: messages (postMessage: wrapping it would change the event's source),
   * workers, storage callbacks; a dialog asked there is placed by time, with a warning.
   */
  carryThroughAsyncWork(): void {
    this.carryThroughTimers();
    this.carryThroughFetch();
    this.carryThroughXhr();
  }

  private carryThroughTimers(): void {
    for (const name of ['setTimeout', 'requestAnimationFrame'] as const) {
      const native = Object.getOwnPropertyDescriptor(window, name)?.value as ((...args: unknown[]) => number) | undefined;
      if (typeof native !== 'function') continue;
      replaceNative(name, (...args: unknown[]): number => {
        const id = this.active;
        const callback = args[0];
        if (typeof callback === 'function') {
          args[0] = (...callbackArgs: unknown[]): void => {
            this.resume(id);
            Reflect.apply(callback, window, callbackArgs);
          };
        }
        return Reflect.apply(native, window, args);
      });
    }
  }

  /** A request's promise, settled in a later task, settles the page's promise as part of gesture `id`. */
  private carried<T>(work: Promise<T>, id: string): Promise<T> {
    return new NativePromise<T>((resolve, reject) => {
      work.then(
        (value) => {
          this.resume(id);
          resolve(value);
        },
        (error: unknown) => {
          this.resume(id);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the request's own reason, unchanged
          reject(error);
        },
      );
    });
  }

  private carryThroughFetch(): void {
    const activeNow = (): string | undefined => this.active;
    const carried = <T>(work: Promise<T>, id: string): Promise<T> => this.carried(work, id);
    const nativeFetch = Object.getOwnPropertyDescriptor(window, 'fetch')?.value as ((...args: unknown[]) => Promise<Response>) | undefined;
    if (typeof nativeFetch === 'function') {
      replaceNative('fetch', (...args: unknown[]): Promise<Response> => {
        const id = this.active;
        const work: Promise<Response> = Reflect.apply(nativeFetch, window, args);
        return id ? this.carried(work, id) : work;
      });
    }
    if (typeof Response === 'undefined') return;
    for (const name of ['json', 'text', 'arrayBuffer', 'blob', 'formData', 'bytes'] as const) {
      const native = Object.getOwnPropertyDescriptor(Response.prototype, name)?.value as ((this: Response) => Promise<unknown>) | undefined;
      if (typeof native !== 'function') continue;
      // A method, as the native one is (no prototype, a receiver).
      const standIn = {
        [name](this: Response): Promise<unknown> {
          const id = activeNow();
          const work: Promise<unknown> = Reflect.apply(native, this, []);
          return id ? carried(work, id) : work;
        },
      }[name]!;
      replaceNative(name, standIn, Response.prototype);
    }
  }

  /**
   * An XMLHttpRequest sent during a gesture: its events (load, readystatechange…) are of that
   * gesture. Their listeners are the page's (added before send, in any order), so the gesture is
   * found from the event being handled (window.event) when asked: info().
   */
  private carryThroughXhr(): void {
    if (typeof XMLHttpRequest === 'undefined') return;
    const activeNow = (): string | undefined => this.active;
    const targets = this.targets;
    const native = Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, 'send')?.value as ((this: XMLHttpRequest, body?: unknown) => void) | undefined;
    if (typeof native !== 'function') return;
    // A method, as the native one is (no prototype, a receiver).
    // eslint-disable-next-line @typescript-eslint/unbound-method -- it is put on XMLHttpRequest.prototype, called with a request
    const standIn = {
      send(this: XMLHttpRequest, ...args: unknown[]): void {
        const id = activeNow();
        if (id) targets.set(this, id);
        else targets.delete(this);
        Reflect.apply(native, this, args);
      },
    }['send'];
    replaceNative('send', standIn, XMLHttpRequest.prototype);
  }

  /** A callback of gesture `id` (or, without one, of no gesture) runs now, in a task after the gesture's own. */
  private resume(id: string | undefined): void {
    this.active = id;
    this.later = id !== undefined;
    if (id) this.endOfTask();
  }

  private begin(): string {
    this.latest = `${PREFIX}.${++this.count}`;
    this.latestAt = Date.now();
    return this.latest;
  }

  info(): GestureInfo {
    // The event being handled is a request's that a gesture sent: that gesture (see carryThroughXhr).
    const event = (window as { event?: Event }).event;
    const request = event?.target ? this.targets.get(event.target) : undefined;
    if (request) return { active: request, latest: this.latest, latestAt: this.latestAt, loading: false, later: true };
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
