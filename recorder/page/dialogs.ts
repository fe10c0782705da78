// Page-side: answers the page's alert/confirm/prompt here, at once, as the toolbar says, and
// tells Node which of the person's gestures opened it. The browser's own dialog would reach
// Node by another road than the recorder's messages, so where it belongs could only be
// guessed from when each arrived; here the page is still inside the handler that asked, so
// the gesture is known (gestures.ts). A dialog while the document loads belongs to the
// gesture that navigated to it: the document it came from said so (`navigating`), naming its
// history entry, which the new document finds as navigation.activation.from.
import type { DialogType, PageEvent, RecorderState } from '../common/wire.ts';
import { activeGesture, activeGestureInfo, latestGesture, type Gestures } from './gestures.ts';
import { replaceNative } from './native.ts';

export interface DialogOptions {
  gestures: Gestures;
  send(event: PageEvent): void;
  /** False while paused: the page still gets its answer, nothing is recorded. */
  recording(): boolean;
  /** The answer the toolbar says to give now. */
  answer(): RecorderState['dialogAnswer'];
}

/** The message as the browser's own dialog would show it (WebIDL DOMString conversion). */
// eslint-disable-next-line @typescript-eslint/no-base-to-string -- as the browser does: alert({}) says "[object Object]"
const text = (value: unknown): string => (value === undefined ? '' : String(value));

/**
 * Whether the browser may refuse this frame's dialogs: a sandbox without allow-modals (on this
 * frame or one around it). Such frames keep the browser's own dialogs: refused ones are then not
 * recorded, and shown ones reach Node, which places them by the gesture noted (noteDialogsHere). A frame of an
 * opaque origin (sandboxed without allow-same-origin) cannot see its sandbox: treated the same.
 */
function modalsMayBeBlocked(): boolean {
  if (window.origin === 'null') return true;
  try {
    for (let el = window.frameElement; el; el = el.ownerDocument.defaultView?.frameElement ?? null) {
      // (the element is of the parent's realm: instanceof this window's HTMLIFrameElement fails)
      if (el.localName === 'iframe' && el.hasAttribute('sandbox') && !(el as HTMLIFrameElement).sandbox.contains('allow-modals')) return true;
    }
  } catch {
    // a frame of another origin around this one: its sandbox, if any, is not known here
  }
  return false;
}

/**
 * In a frame the browser may refuse dialogs to, the browser's own dialog is called (it answers
 * or refuses, as without the recorder), but first Node is told which gesture asks (`asking`):
 * Node answers the browser's dialog and places it by that gesture, not by time.
 */
function noteDialogsHere(options: DialogOptions): void {
  for (const type of ['alert', 'confirm', 'prompt'] as const) {
    const native = Object.getOwnPropertyDescriptor(window, type)?.value as ((...args: unknown[]) => unknown) | undefined;
    if (typeof native !== 'function') continue;
    replaceNative(type, (...args: unknown[]): unknown => {
      if (options.recording()) {
        const active = activeGestureInfo();
        options.send({ type: 'asking', dialogType: type, message: text(args[0]), ...(active ? { actionId: active.id } : {}), ...(active?.later ? { later: true as const } : {}), at: Date.now() });
      }
      return Reflect.apply(native, window, args);
    });
  }
}

/** Replaces window.alert/confirm/prompt of this frame (before the page's own scripts run). */
export function answerDialogsHere(options: DialogOptions): void {
  if (modalsMayBeBlocked()) {
    noteDialogsHere(options);
    return;
  }
  // Browsers show no dialog while a page unloads (the call returns at once, as dismissed).
  let unloading = false;
  window.addEventListener('pagehide', () => (unloading = true), true);
  window.addEventListener('pageshow', () => (unloading = false), true);
  const ask = (type: DialogType, message: string, defaultValue = ''): string | boolean | null | undefined => {
    if (unloading) return type === 'confirm' ? false : type === 'prompt' ? null : undefined;
    const { action, promptText } = options.answer();
    const typed = type === 'prompt' && action === 'accept' ? promptText || defaultValue : undefined;
    if (options.recording()) {
      const active = activeGestureInfo();
      const actionId = active?.id;
      const cameFrom = actionId || !options.gestures.info().loading ? undefined : navigation.activation?.from?.id;
      options.send({
        type: 'dialog',
        dialogType: type,
        message,
        action,
        ...(typed !== undefined ? { promptText: typed } : {}),
        ...(actionId ? { actionId } : {}),
        ...(cameFrom ? { cameFrom } : {}),
        ...(active?.later ? { later: true as const } : {}),
        at: Date.now(),
      });
    }
    if (type === 'confirm') return action === 'accept';
    if (type === 'prompt') return action === 'accept' ? typed! : null;
    return undefined;
  };
  // They look to the page as the browser's own (name, length, source text: native.ts).
  replaceNative('alert', (...args: unknown[]): void => {
    ask('alert', text(args[0]));
  });
  replaceNative('confirm', (...args: unknown[]): boolean => ask('confirm', text(args[0])) as boolean);
  replaceNative('prompt', (...args: unknown[]): string | null => ask('prompt', text(args[0]), text(args[1])) as string | null);
}

/** Tells Node which gesture makes this document navigate to another one (see answerDialogsHere). */
export function reportNavigations(send: (event: PageEvent) => void): void {
  if (typeof navigation === 'undefined') return;
  navigation.addEventListener('navigate', (event) => {
    if (event.destination.sameDocument) return;
    const entry = navigation.currentEntry?.id;
    // A form's submission navigates in a task after the click's: then the person's latest gesture did it.
    const actionId = activeGesture() ?? (event.userInitiated ? latestGesture() : undefined);
    if (entry && actionId) send({ type: 'navigating', actionId, entry });
  });
}
