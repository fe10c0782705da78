// Page-side entry of the browser recorder, bundled by scripts/build-page.mjs and injected by
// recorder/api.ts into every page, frame and popup (context.addInitScript). Reports through
// the `__rpaRecord` binding; Node pushes state back with window.__rpaRecorder.setState().
import type { PageEvent, RecorderState } from '../common/wire.ts';
import { Capture } from './capture.ts';
import { answerDialogsHere, reportNavigations } from './dialogs.ts';
import { Gestures, type GestureInfo } from './gestures.ts';
import { candidatesFor } from './locators.ts';
import { Toolbar } from './toolbar.ts';

declare global {
  interface Window {
    __rpaRecord?: (event: PageEvent) => Promise<RecorderState | undefined>;
    __rpaRecorder?: {
      setState(state: RecorderState): void;
      flush(): void;
      /** Listens again if an editor's document.open() erased the listeners; true if it had to. */
      revive(): boolean;
      /** Whether the listeners run at all (scripts may be off in this document). */
      alive(): boolean;
      toolbarBox(action: string): { x: number; y: number; width: number; height: number } | undefined;
      /** What the toolbar says (status and warning), for tests. */
      toolbarText(): string | undefined;
      candidatesFor: typeof candidatesFor;
      /** The person's gesture being handled in this frame (see gestures.ts). */
      gestures(): GestureInfo;
      /** How the page's next dialog is answered (the top frame's toolbar knows first). */
      dialogAnswer(): RecorderState['dialogAnswer'];
    };
  }
}

/** Hands the state to the recorders of the same-origin frames inside `win` (others throw: skipped). */
function applyInFrames(win: Window, state: RecorderState): void {
  for (let i = 0; i < win.frames.length; i++) {
    try {
      const child = win.frames[i]!;
      child.__rpaRecorder?.setState(state);
      applyInFrames(child, state);
    } catch {
      // a cross-origin frame: Node hands it the state
    }
  }
}

function install(): void {
  // Keep our own reference: page scripts may overwrite window globals later.
  const binding = window.__rpaRecord;
  if (!binding || window.__rpaRecorder) return;
  let current: RecorderState | undefined;
  const apply = (state: RecorderState | undefined): void => {
    if (!state) return;
    current = state;
    capture.setState(state);
    toolbar?.update(state);
  };
  const post = (event: PageEvent): void => {
    binding(event).then(apply, () => undefined);
  };
  const gestures = new Gestures();
  gestures.carryThroughAsyncWork();
  // Recorded actions carry the gesture they belong to and the page's clock.
  const send = (event: PageEvent): void => {
    const untagged = event.type === 'hello' || event.type === 'control' || event.type === 'mode' || event.type === 'dialogAnswer' || event.type === 'dialog' || event.type === 'asking' || event.type === 'navigating';
    if (untagged) post(event);
    else post({ ...event, ...(gestures.info().active ? { actionId: gestures.info().active } : {}), at: Date.now() });
  };
  // The toolbar's own frame switches at once, and so do the same-origin frames inside it (an
  // editor's frame), so the very next click is already a pick (or paused) without waiting for
  // Node's answer; Node then confirms to every frame, cross-origin ones included.
  const applyHere = (state: RecorderState): void => {
    apply(state);
    applyInFrames(window, state);
  };
  const sendFromToolbar = (event: PageEvent): void => {
    if (current && event.type === 'mode') applyHere({ ...current, mode: event.mode });
    if (current && event.type === 'control' && event.action !== 'stop') applyHere({ ...current, paused: event.action === 'pause', mode: null });
    send(event);
  };
  const capture = new Capture(send, gestures);
  const toolbar = window === window.top ? new Toolbar(sendFromToolbar) : undefined;
  const dialogAnswer = (): RecorderState['dialogAnswer'] => {
    try {
      const top = window.top?.__rpaRecorder;
      if (top && top !== window.__rpaRecorder) return top.dialogAnswer();
    } catch {
      // the top frame is of another origin: Node hands the answer to this frame
    }
    return toolbar?.dialogAnswer() ?? current?.dialogAnswer ?? { action: 'accept', promptText: '' };
  };
  answerDialogsHere({ gestures, send: post, recording: () => !(current?.paused ?? false), answer: dialogAnswer });
  reportNavigations(post);
  capture.install();
  const revive = (): boolean => {
    const lost = capture.revive();
    if (lost) {
      toolbar?.mount();
      send({ type: 'hello' });
    }
    return lost;
  };
  // document.open() (classic rich-text editors write their frame's document that way) keeps
  // this window and its objects but erases its listeners and replaces the whole document,
  // which this observer sees: listen again at once, before the person can type.
  new MutationObserver(() => revive()).observe(document, { childList: true });
  window.__rpaRecorder = {
    setState: apply,
    flush: () => capture.flush(),
    revive,
    alive: () => capture.alive(),
    toolbarBox: (action) => toolbar?.box(action),
    toolbarText: () => toolbar?.text(),
    candidatesFor,
    gestures: () => gestures.info(),
    dialogAnswer,
  };
  send({ type: 'hello' });
}

install();
