// Page-side: which gesture of the person the page is handling right now. A gesture is a press
// (of the mouse or of a key) and every event it causes: a new one begins at pointerdown and
// keydown; the events that follow a press in later tasks (mouseup, click, keyup, input…)
// continue it; any other input the person makes (a <select>'s choice, a file picked, a drop)
// begins one of its own. While the page handles such an event — in the same task, so also a
// click's default action (a form's submit handlers) — the gesture is "active": a dialog the
// page opens then was opened by it. Recorded actions carry the gesture they were sent in, so
// Node can put the dialog before the action exactly, without comparing clocks. A timer the
// page starts while handling a gesture (timers, requests, messages) carries it: its callback
// runs as a later part of that gesture, so a dialog it opens is still the gesture's.
import { replaceNative } from './native.ts';

/** The window's own Promise, kept before page scripts can replace it. */
const NativePromise = Promise;
/** The native MessagePort.prototype.postMessage, for the recorder's own end-of-task channel. */
const nativePortPost = typeof MessagePort === 'undefined' ? undefined : (Object.getOwnPropertyDescriptor(MessagePort.prototype, 'postMessage')?.value as ((this: MessagePort, ...args: unknown[]) => void) | undefined);
/** Messages posted during a gesture whose event has not come yet: dropped after this long (their window went away). */
const POSTED_KEPT_MS = 30_000;
/** At most this many such messages are kept per window or port. */
const POSTED_KEPT = 100;
/**
 * The key of the recorder's own messages to the windows of other origins in the tab: which
 * gesture the page is handling from now on (null: none). See announce().
 */
const MARK = '__rpaRecorderGesture';

/**
 * What pairs a message posted to this window with the message event it becomes: the data
 * arrives as a structured clone, so not the same object, but of the same shape. Cheap (a
 * string's start, an object's first keys), as it runs for every message while one is pending.
 */
type Constructor<T> = new (...args: unknown[]) => T;

/**
 * A constructor in the native one's place that calls `made` with each instance before the page
 * gets it. A Proxy keeps the native one's prototype, name, length and instanceof.
 */
function watchedConstructor<T>(native: Constructor<T>, made: (instance: T) => void): (...args: never[]) => unknown {
  const watched = new Proxy(native, {
    construct(target, args: unknown[], newTarget: Constructor<unknown>): object {
      const instance = Reflect.construct(target, args, newTarget) as T & object;
      made(instance);
      return instance;
    },
  });
  return watched as unknown as (...args: never[]) => unknown;
}

function messageKey(data: unknown): string {
  if (typeof data === 'string') return `s${data.length}:${data.slice(0, 120)}`;
  if (data === null || typeof data !== 'object') return `${typeof data}:${String(data)}`;
  try {
    return `${Object.prototype.toString.call(data)}:${Object.keys(data).slice(0, 20).join(',')}`;
  } catch {
    return 'object';
  }
}

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
  /** Messages posted to this window (by it or a same-origin frame) during a gesture, oldest first. */
  private readonly posted: Array<{ id: string; key: string; at: number }> = [];
  /** A port of a channel made here → the other port of the channel. */
  private readonly partners = new WeakMap<MessagePort, MessagePort>();
  /** A port → the gestures (or none) of the messages posted to it, in the order they come. */
  private readonly portQueues = new WeakMap<MessagePort, Array<string | undefined>>();
  /**
   * A dedicated worker → the gesture of the page's latest message to it that the worker has not
   * answered yet (none: posted outside a gesture). Its next message is that answer; a message
   * with no such post before it comes from the worker's own timer, and is of no gesture.
   */
  private readonly workerPosts = new WeakMap<object, string | undefined>();
  /** What this window last told the windows of other origins (announce()). */
  private announced: string | undefined;
  /** A window of another origin → the gesture it said it handles now (its marks, see announce()). */
  private readonly sourceGestures = new WeakMap<object, string>();

  constructor() {
    // A message posted now is handled in a task after this one: the end of the current task.
    this.channel.port1.onmessage = () => {
      this.clearScheduled = false;
      this.active = undefined;
      this.later = false;
      this.loadTask = false;
      this.announce();
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
    // A message a gesture posted to this window (see carryThroughMessages): its handlers are of that gesture.
    window.addEventListener('message', (event) => {
      if (!event.isTrusted) return;
      const mark = markOf(event.data);
      if (mark !== undefined) {
        // The recorder's own message, never the page's: no listener of the page's sees it.
        event.stopImmediatePropagation();
        if (event.source) {
          if (mark) this.sourceGestures.set(event.source, mark);
          else this.sourceGestures.delete(event.source);
        }
        return;
      }
      if (event.source && event.origin !== window.origin) {
        // From a window of another origin: of the gesture it last said it handles (none: of none).
        this.resume(this.sourceGestures.get(event.source));
        return;
      }
      if (this.posted.length === 0) return;
      const now = Date.now();
      while (this.posted.length && now - this.posted[0]!.at > POSTED_KEPT_MS) this.posted.shift();
      const key = messageKey(event.data);
      const index = this.posted.findIndex((p) => p.key === key);
      if (index < 0) return;
      const [found] = this.posted.splice(index, 1);
      this.resume(found!.id);
    }, true);
  }

  /** The gesture an input event of this type belongs to (beginning one when it is the first of a press). */
  touch(type: string): string {
    this.later = false;
    if (BEGINS.has(type)) this.active = this.begin();
    else if (!this.active) this.active = CONTINUES.has(type) && this.latest ? this.latest : this.begin();
    this.endOfTask();
    this.announce();
    return this.active;
  }

  /**
   * Work the page starts while a gesture is handled carries the gesture to the callbacks that
   * finish it, in later tasks: timers (setTimeout, requestAnimationFrame) and requests (fetch,
   * the reading of its body, XMLHttpRequest). A dialog asked there (in a promise's callback
   * after `await fetch(…)`, an XHR's onload) is then still the gesture's. The replaced functions
   * look native (native.ts). A timer no gesture started runs as part of no gesture: a gesture
   * whose task just ended is forgotten there at once, not only when its end-of-task message
   * comes. Messages carry it too (carryThroughMessages; from windows of another origin through
   * their recorder's marks, announce()). Not carried: storage callbacks, a timer the page started
   * outside any gesture, a worker's message that answers no message of the page's; a dialog
   * asked there is the page's own (unprompted), answered in replay whenever it opens.
   */
  carryThroughAsyncWork(): void {
    this.carryThroughTimers();
    this.carryThroughFetch();
    this.carryThroughXhr();
    this.carryThroughMessages();
  }

  private carryThroughTimers(): void {
    // An interval carries the gesture that started it to every tick (a poll a click began).
    for (const name of ['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback'] as const) {
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

  /**
   * Messages carry the gesture that posted them, where the posting can be seen: postMessage to
   * this window from it or a frame of the same origin (the call reaches this window's own
   * postMessage), a MessageChannel's ports (a scheduler's "run soon", as UI libraries use), and
   * a dedicated worker's answer (the gesture of the page's latest message to that worker, a
   * request and its answer: the worker's first message after it; the messages it sends on its
   * own timer later are of no gesture). Messages from windows of another origin: see announce(). The message's data, source and ports are left as they are: the
   * event is paired with its posting by order and shape (messageKey), not by marking it.
   */
  private carryThroughMessages(): void {
    const gestureNow = (): string | undefined => activeGesture() ?? this.active;
    const windowPost = Object.getOwnPropertyDescriptor(window, 'postMessage')?.value as ((...args: unknown[]) => void) | undefined;
    if (typeof windowPost === 'function') {
      replaceNative('postMessage', (...args: unknown[]): void => {
        const id = gestureNow();
        if (id) {
          this.posted.push({ id, key: messageKey(args[0]), at: Date.now() });
          if (this.posted.length > POSTED_KEPT) this.posted.shift();
        }
        Reflect.apply(windowPost, window, args);
      });
    }
    const { partners, portQueues, workerPosts } = this;
    const onPortMessage = (port: MessagePort): void => {
      const queue = portQueues.get(port);
      if (queue?.length) this.resume(queue.shift());
    };
    const nativeChannel = Object.getOwnPropertyDescriptor(window, 'MessageChannel')?.value as Constructor<MessageChannel> | undefined;
    if (typeof nativeChannel === 'function' && nativePortPost) {
      replaceNative('MessageChannel', watchedConstructor(nativeChannel, (channel) => {
        partners.set(channel.port1, channel.port2);
        partners.set(channel.port2, channel.port1);
        // Before any listener of the page's: it can only add its own after the channel exists.
        channel.port1.addEventListener('message', () => onPortMessage(channel.port1));
        channel.port2.addEventListener('message', () => onPortMessage(channel.port2));
      }));
      const portPost = nativePortPost;
      // A method, as the native one is (no prototype, a receiver).
      // eslint-disable-next-line @typescript-eslint/unbound-method -- it is put on MessagePort.prototype, called with a port
      const standIn = {
        postMessage(this: MessagePort, ...args: unknown[]): void {
          const partner = partners.get(this);
          if (partner) {
            let queue = portQueues.get(partner);
            if (!queue) portQueues.set(partner, (queue = []));
            queue.push(gestureNow());
            if (queue.length > POSTED_KEPT) queue.shift(); // the other port went to another window or a worker
          }
          Reflect.apply(portPost, this, args);
        },
      }['postMessage'];
      replaceNative('postMessage', standIn, MessagePort.prototype);
    }
    const nativeWorker = Object.getOwnPropertyDescriptor(window, 'Worker')?.value as Constructor<Worker> | undefined;
    if (typeof nativeWorker === 'function') {
      const workerPrototype = nativeWorker.prototype as object;
      const workerPost = Object.getOwnPropertyDescriptor(workerPrototype, 'postMessage')?.value as ((this: Worker, ...args: unknown[]) => void) | undefined;
      const resume = (id: string | undefined): void => this.resume(id);
      replaceNative('Worker', watchedConstructor(nativeWorker, (worker) => {
        // Before the page's listeners (onmessage included): it can only add them once the worker exists.
        worker.addEventListener('message', () => {
          // The answer to the page's latest message (once); any later message is the worker's own.
          const id = workerPosts.get(worker);
          workerPosts.delete(worker);
          resume(id);
        });
      }));
      if (typeof workerPost === 'function') {
        // eslint-disable-next-line @typescript-eslint/unbound-method -- it is put on Worker.prototype, called with a worker
        const standIn = {
          postMessage(this: Worker, ...args: unknown[]): void {
            workerPosts.set(this, gestureNow());
            Reflect.apply(workerPost, this, args);
          },
        }['postMessage'];
        replaceNative('postMessage', standIn, workerPrototype);
      }
    }
  }

  /** A callback of gesture `id` (or, without one, of no gesture) runs now, in a task after the gesture's own. */
  private resume(id: string | undefined): void {
    this.active = id;
    this.later = id !== undefined;
    if (id) this.endOfTask();
    this.announce();
  }

  /**
   * Tells the windows of other origins in this tab (the frames around and inside this one, and
   * the window that opened it) which gesture this window handles from now on, when that changed.
   * The page's own postMessage to such a window cannot be seen from here (a window of another
   * origin is not ours to change), but a message posted after this mark reaches that window
   * after the mark, in order: its recorder takes the page's message as of the gesture the mark
   * named (listen()). Posted at the start of the gesture's task, before the page's handlers,
   * and again (null) when the task ended or a task of no gesture runs.
   */
  private announce(): void {
    if (this.active === this.announced) return;
    this.announced = this.active;
    for (const other of otherOriginWindows()) {
      try {
        other.postMessage({ [MARK]: this.active ?? null }, '*');
      } catch {
        // the window closed meanwhile
      }
    }
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
    if (nativePortPost) Reflect.apply(nativePortPost, this.channel.port2, [null]);
    else this.channel.port2.postMessage(null);
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

/** The gesture a recorder's mark (see Gestures.announce) names: a string, null for none, undefined when `data` is no mark. */
function markOf(data: unknown): string | null | undefined {
  if (data === null || typeof data !== 'object' || !Object.prototype.hasOwnProperty.call(data, MARK)) return undefined;
  const mark = (data as Record<string, unknown>)[MARK];
  return typeof mark === 'string' ? mark : null;
}

/** The windows of this tab (and of the window that opened it) whose documents are of another origin than this one's. */
function otherOriginWindows(): Window[] {
  const found: Window[] = [];
  const seen = new Set<Window>();
  const visit = (win: Window, depth: number): void => {
    if (seen.has(win) || depth > 20) return;
    seen.add(win);
    if (win !== window) {
      try {
        void win.document; // same origin: its postMessage is this recorder's to see (carryThroughMessages)
      } catch {
        found.push(win);
      }
    }
    try {
      for (let i = 0; i < win.length; i++) visit(win[i]!, depth + 1);
    } catch {
      // the window went away meanwhile
    }
  };
  visit(window.top ?? window, 0);
  try {
    if (window.opener) visit(window.opener as Window, 0);
  } catch {
    // no opener any more
  }
  return found;
}
