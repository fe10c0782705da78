// Stopping the global input hook (uiohook-napi) at once loses the input it heard last. The hook
// hears input on a native thread and hands each event to the event loop through a queue; events
// still in that queue when the hook stops are thrown away (the addon drops every event delivered
// once it is stopped). The last keys of fast typing were lost so — all of them when the loop was
// busy while they were typed.
//
// So the recorder marks the moment it was asked to stop in the input stream itself: it moves the
// pointer to where it already is (the X server reports that motion like any other input, in
// order), keeps listening until the hook delivers that motion, and stops the hook right then.
// Everything heard before the mark happened before stop() was called; nothing after it is taken.
import type { EventEmitter } from 'node:events';
import type { UiohookMouseEvent } from 'uiohook-napi';

/** Never wait longer than this for the mark (the hook delivers input ~100 ms late under Xvfb, more on a busy machine). */
const MARK_LIMIT_MS = 3_000;

/**
 * Moves the pointer to where it is and says where that is. It must reach the X server before
 * anything that comes after the call: the pointer's module is loaded beforehand (loadPointerMark),
 * so only promise callbacks, no input or output, run between the call and the move.
 */
export type PointerMark = () => Promise<{ x: number; y: number }>;

/**
 * Resolves once the hook has delivered every event the X server saw before this call (true), or
 * after `limitMs` when the mark never came (false). `onCaughtUp` runs synchronously as the mark
 * arrives, before any later event is delivered: the caller stops the hook there.
 */
export function catchUpWithHook(hook: EventEmitter, mark: PointerMark, onCaughtUp: () => void, limitMs = MARK_LIMIT_MS): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let at: { x: number; y: number } | undefined;
    let done = false;
    const finish = (caughtUp: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      hook.removeListener('mousemove', onMove);
      onCaughtUp();
      resolve(caughtUp);
    };
    // The hook's events come through the event loop's input and output, after the mark is made.
    const onMove = (event: UiohookMouseEvent): void => {
      if (at && event.x === at.x && event.y === at.y) finish(true);
    };
    const timer = setTimeout(() => finish(false), limitMs);
    hook.on('mousemove', onMove);
    mark().then(
      (point) => void (at = point),
      () => finish(false),
    );
  });
}

/** The pointer through nut-js (XTest on Linux), loaded when recording starts so that marking takes no input or output. */
export async function loadPointerMark(): Promise<PointerMark> {
  const { mouse, Point } = await import('@nut-tree-fork/nut-js');
  return async () => {
    const { x, y } = await mouse.getPosition();
    await mouse.setPosition(new Point(x, y));
    return { x, y };
  };
}
