// Stopping the global input hook (uiohook-napi) at once loses the input it heard last. The hook
// hears input on a native thread and hands each event to the event loop through a queue; events
// still in that queue when the hook stops are thrown away (the addon drops every event delivered
// once it is stopped). The last keys of fast typing were lost so — all of them when the loop was
// busy while they were typed.
//
// So the recorder marks the moment it was asked to stop in the input stream itself: it moves the
// pointer one pixel aside and back (the X server reports both motions like any other input, in
// order), keeps listening until the hook delivers that pair, and stops the hook right then.
// Everything heard before the mark happened before stop() was called; nothing after it is taken.
//
// The mark is made synchronously, inside the call: the move has reached the X server when the
// call returns. A mark made after an await came after input sent right after stop() whenever the
// event loop was slow to get back to it (CI recorded two keys typed after stop() so), and how
// slowly the recorder's handlers run cannot move input across a mark that is already in the stream.
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { UiohookMouseEvent } from 'uiohook-napi';

/** Never wait longer than this for the mark (the hook delivers input ~100 ms late under Xvfb, more on a busy machine). */
const MARK_LIMIT_MS = 3_000;

/** Where the pointer is and the place one pixel aside that the mark visits. */
export interface MarkPlaces {
  at: { x: number; y: number };
  aside: { x: number; y: number };
}

/**
 * Moves the pointer one pixel aside and back, synchronously: both moves have reached the X
 * server when it returns, before anything the caller does afterwards. Says where it went.
 */
export type PointerMark = () => MarkPlaces;

/**
 * Makes the mark at once (before returning) and resolves once the hook has delivered every event
 * the X server saw before this call (true), or after `limitMs` when the mark never came (false).
 * `onCaughtUp` runs synchronously as the mark arrives, before any later event is delivered: the
 * caller stops the hook there. A mark that cannot be made resolves false at once.
 */
export function catchUpWithHook(hook: EventEmitter, mark: PointerMark, onCaughtUp: () => void, limitMs = MARK_LIMIT_MS): Promise<boolean> {
  let places: MarkPlaces;
  try {
    places = mark();
  } catch {
    onCaughtUp();
    return Promise.resolve(false);
  }
  return new Promise<boolean>((resolve) => {
    const { at, aside } = places;
    // The motion aside, then the motion back with no other motion between: the mark.
    let sawAside = false;
    let done = false;
    const finish = (caughtUp: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      hook.removeListener('mousemove', onMove);
      onCaughtUp();
      resolve(caughtUp);
    };
    // The hook's events come through the event loop after this returns: the listener is on before any of them.
    const onMove = (event: UiohookMouseEvent): void => {
      if (sawAside && event.x === at.x && event.y === at.y) finish(true);
      else sawAside = event.x === aside.x && event.y === aside.y;
    };
    const timer = setTimeout(() => finish(false), limitMs);
    hook.on('mousemove', onMove);
  });
}

/** The native pointer calls nut-js makes (libnut: XWarpPointer and XSync on Linux), which return once the X server has the move. */
interface NativePointer {
  getMousePos(): { x: number; y: number };
  moveMouse(x: number, y: number): void;
  getScreenSize(): { width: number; height: number };
}

/** The pointer through libnut (as nut-js uses it), loaded when recording starts so that marking takes no input or output but the moves. */
export function loadPointerMark(): Promise<PointerMark> {
  const require = createRequire(import.meta.url);
  // nut-js's own native module for this platform (its mouse wraps these synchronous calls in promises).
  const native = (require('@nut-tree-fork/libnut/dist/import_libnut.js') as { libnut: NativePointer }).libnut;
  const mark: PointerMark = () => {
    const at = native.getMousePos();
    const { width } = native.getScreenSize();
    const aside = { x: at.x + 1 < width ? at.x + 1 : at.x - 1, y: at.y };
    native.moveMouse(aside.x, aside.y);
    native.moveMouse(at.x, at.y);
    return { at: { x: at.x, y: at.y }, aside };
  };
  return Promise.resolve(mark);
}
