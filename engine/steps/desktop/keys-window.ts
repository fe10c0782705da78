// Which window a run's keys are meant for. Typed keys go to whichever window has the focus: a
// window that takes it between a click and the typing after it (another program's prompt, a chat
// window) would get the text, and the run would pass. Each step that acts on a window (a click,
// a drag, focusWindow, a launch that waits for its window) notes it; desktop.type and
// desktop.press check the active window is that one before a key goes out.
import { InputDeliveredError, RpaError } from '../../errors.js';
import { activeWindow, focusWindow, titleMatcher, transientFor, windowById, windowPid, type DesktopWindow } from '../../desktop/windows.js';
import type { StepContext } from '../../runner/step-context.js';
import { abortableSleep } from '../../runner/timing.js';

interface KeysWindow {
  window: DesktopWindow;
  /** The step that acted on it, e.g. "3". */
  path: string;
  /** Its program (X11), to tell its own dialogs from other programs' windows. */
  pid: Promise<number | undefined>;
}

const byRun = new Map<string, KeysWindow>();

/** How long a window focused again must keep the focus before keys go out (a program that takes it back does so at once). */
const HOLD_MS = 300;
/** How long focusing the window again may wait for the window manager. */
const FOCUS_WAIT_MS = 2_000;

/** Notes the window the step acted on: the next keys are meant for it. */
export function actedOn(ctx: StepContext, window: DesktopWindow | undefined): void {
  if (!byRun.has(ctx.runId)) {
    const runId = ctx.runId;
    ctx.onRunEnd(() => {
      byRun.delete(runId);
      return Promise.resolve();
    });
  }
  if (!window) byRun.delete(ctx.runId);
  else byRun.set(ctx.runId, { window, path: ctx.path, pid: windowPid(window.id).catch(() => undefined) });
}

/** Forgets the window keys are meant for (after keys that move the focus on purpose: Alt+Tab). */
export function forgetKeysWindow(ctx: StepContext): void {
  byRun.delete(ctx.runId);
}

const named = (window: DesktopWindow | undefined): string => (window ? (window.title ? `"${window.title}"` : 'an untitled window') : 'no window');

/**
 * Before keys go out: the active window must be the one the run last acted on, or a window of the
 * same program (a dialog it opened). Another window has the focus: that window is focused again
 * once and must keep the focus; otherwise the step fails naming the window that has it, and
 * nothing is typed. Nothing is checked when no step acted on a window yet, or that window closed.
 */
export async function ensureKeysWindow(ctx: StepContext, doing: 'typed' | 'pressed'): Promise<void> {
  const meant = byRun.get(ctx.runId);
  if (!meant) return;
  const own = await windowById(meant.window.id).catch(() => undefined);
  if (!own) {
    // It closed (an OK that ends a dialog): the focus went where the desktop put it; nothing to compare with.
    byRun.delete(ctx.runId);
    return;
  }
  const active = await activeWindow().catch(() => undefined);
  if (active?.id === own.id) return;
  if (active && (await sameProgram(meant, active))) {
    // The program opened a window of its own (a dialog after the click): its keys go there.
    ctx.log('info', `${named(active)} of the same program as ${named(own)} (step ${meant.path}) has the focus; keys go there`);
    byRun.set(ctx.runId, { ...meant, window: active, pid: meant.pid });
    return;
  }
  // Bounded: a window that takes the focus back keeps windowactivate waiting.
  await focusWindow(own, FOCUS_WAIT_MS).catch(() => undefined);
  await abortableSleep(HOLD_MS, ctx.signal);
  const after = await activeWindow().catch(() => undefined);
  if (!after) {
    // No window manager that names the active window (_NET_ACTIVE_WINDOW): nothing to compare with.
    ctx.log('warn', `which window has the focus cannot be read here (no window manager?); ${named(own)} was focused before keys were ${doing}`);
    return;
  }
  if (after.id === own.id) {
    ctx.log('warn', `${named(active)} had taken the focus from ${named(own)}, the window step ${meant.path} acted on; ${named(own)} was focused again before keys were ${doing}`);
    return;
  }
  throw new RpaError(
    `${named(active)} has the focus, not ${named(own)}, the window step ${meant.path} acted on; focusing ${named(own)} again did not hold (${named(after)} has it), so nothing was ${doing}. Close or answer the other window first (a desktop.click in it, or a desktop.focusWindow step)`,
    { meant: { title: own.title, id: own.id }, focused: { title: after.title, id: after.id } },
  );
}

/** Between two looks at the window with the focus, while the one the keys are meant for is awaited. */
const RECORDED_POLL_MS = 100;
/** Kept back from the step's time: the failure is told, not cut off by the step's deadline. */
const RECORDED_MARGIN_MS = 500;

/**
 * Before keys go out, for a step that names the window they are meant for (the recorder saw them
 * go there): the window with the focus must have a matching title. A window that is not there
 * yet (a dialog the last click opens) is waited for within the step's time; then the step fails
 * naming both windows, with nothing sent. The window found is the one the keys are checked
 * against after typing.
 */
export async function ensureRecordedWindow(ctx: StepContext, pattern: string | undefined, doing: 'typed' | 'pressed'): Promise<void> {
  if (pattern === undefined) return;
  const title = ctx.renderText(pattern);
  const matches = titleMatcher(title);
  const deadline = Date.now() + ctx.timeoutMs - RECORDED_MARGIN_MS;
  for (;;) {
    const active = await activeWindow().catch(() => undefined);
    if (!active) {
      ctx.log('warn', `which window has the focus cannot be read here (no window manager?); keys were ${doing} without checking they go to the window "${title}" they were recorded in`);
      return;
    }
    if (matches(active.title)) {
      if (byRun.get(ctx.runId)?.window.id !== active.id) actedOn(ctx, active);
      return;
    }
    if (Date.now() + RECORDED_POLL_MS >= deadline) {
      throw new RpaError(
        `the keys are meant for a window titled "${title}" (where they were recorded), but ${named(active)} has the focus; nothing was ${doing}. Bring that window forward first (a desktop.click in it, or a desktop.focusWindow step), or re-record the step`,
        { meant: title, focused: { title: active.title, id: active.id } },
      );
    }
    await abortableSleep(RECORDED_POLL_MS, ctx.signal);
  }
}

/**
 * After text was typed: a window of another program that took the focus while it was typed got
 * the rest of it. The step fails saying so (it cannot be undone), rather than the run passing;
 * and it is not done again (InputDeliveredError), which would type the text twice.
 */
export async function checkKeysWindowAfter(ctx: StepContext): Promise<void> {
  const meant = byRun.get(ctx.runId);
  if (!meant) return;
  const active = await activeWindow().catch(() => undefined);
  if (!active || active.id === meant.window.id || (await sameProgram(meant, active))) return;
  if (!(await windowById(meant.window.id).catch(() => undefined))) return; // the typing closed it (an Enter that ends a dialog)
  throw new InputDeliveredError(
    `${named(active)} took the focus from ${named(meant.window)} (the window step ${meant.path} acted on) while the text was typed: some of it may have gone to ${named(active)}, the rest to ${named(meant.window)}. The run stops here and the step is not done again (that would type the text twice): check both windows, correct them by hand, then run again`,
    { meant: { title: meant.window.title, id: meant.window.id }, focused: { title: active.title, id: active.id } },
  );
}

/** A dialog of the meant window (WM_TRANSIENT_FOR), or another window of its process (where the program names it: _NET_WM_PID; Tk does not). */
async function sameProgram(meant: KeysWindow, other: DesktopWindow): Promise<boolean> {
  if ((await transientFor(other.id)) === meant.window.id) return true;
  const [mine, theirs] = await Promise.all([meant.pid, windowPid(other.id).catch(() => undefined)]);
  return mine !== undefined && mine === theirs;
}
