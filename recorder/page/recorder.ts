// Page-side entry of the browser recorder, bundled by scripts/build-page.mjs and injected by
// recorder/api.ts into every page, frame and popup (context.addInitScript). Reports through
// the `__rpaRecord` binding; Node pushes state back with window.__rpaRecorder.setState().
import type { PageEvent, RecorderState } from '../common/wire.ts';
import { Capture } from './capture.ts';
import { candidatesFor } from './locators.ts';
import { Toolbar } from './toolbar.ts';

declare global {
  interface Window {
    __rpaRecord?: (event: PageEvent) => Promise<RecorderState | undefined>;
    __rpaRecorder?: {
      setState(state: RecorderState): void;
      flush(): void;
      toolbarBox(action: string): { x: number; y: number; width: number; height: number } | undefined;
      candidatesFor: typeof candidatesFor;
    };
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
  const send = (event: PageEvent): void => {
    binding(event).then(apply, () => undefined);
  };
  // The toolbar's own frame switches at once, so the very next click is already a pick (or
  // paused) without waiting for Node's answer; Node then confirms to every frame.
  const sendFromToolbar = (event: PageEvent): void => {
    if (current && event.type === 'mode') apply({ ...current, mode: event.mode });
    if (current && event.type === 'control' && event.action !== 'stop') apply({ ...current, paused: event.action === 'pause', mode: null });
    send(event);
  };
  const capture = new Capture(send);
  const toolbar = window === window.top ? new Toolbar(sendFromToolbar) : undefined;
  capture.install();
  // Leaving the page (a link, a submit, closing the tab) must not lose a half-typed value.
  window.addEventListener('pagehide', () => capture.flush(), true);
  window.__rpaRecorder = {
    setState: apply,
    flush: () => capture.flush(),
    toolbarBox: (action) => toolbar?.box(action),
    candidatesFor,
  };
  send({ type: 'hello' });
}

install();
