// desktop.launch, desktop.focusWindow
import type { DesktopTarget, StepOf } from '../../format/schema.js';
import { launchProgram, waitForWindow as waitForTitle } from '../../desktop/launch.js';
import { AmbiguousLocatorError } from '../../errors.js';
import { locateDesktopTarget } from '../../desktop/locate.js';
import { findProcessWindows, findWindows, focusWindow as focus, type DesktopWindow } from '../../desktop/windows.js';
import type { StepHandler } from '../../runner/step-context.js';
import { ensureDesktop, waitForWindows } from './common.js';
import { actedOn } from './keys-window.js';

export const launch: StepHandler<StepOf<'desktop.launch'>> = async (step, ctx) => {
  await ensureDesktop();
  const program = ctx.renderText(step.program);
  const args = (step.args ?? []).map((arg) => ctx.renderText(arg));
  const cwd = ctx.resolvePath(step.cwd ? ctx.renderText(step.cwd) : '.');
  // Windows of the awaited title already open are not the program's (another instance of it).
  const waitFor = step.waitForWindow === undefined ? undefined : ctx.renderText(step.waitForWindow);
  const existing = waitFor === undefined ? new Set<string>() : new Set((await findWindows(waitFor)).map((window) => window.id));
  const launched = await launchProgram({ program, args, cwd, signal: ctx.signal });
  const { pid } = launched;
  if (step.keepRunning) {
    ctx.log('info', `started ${program} (pid ${pid}); it keeps running after the run (keepRunning)`);
  } else {
    ctx.log('info', `started ${program} (pid ${pid}); it is closed when the run ends`);
    ctx.onRunEnd(async () => {
      await launched.close();
      ctx.log('info', `closed ${program} (pid ${pid}), started by this run`);
    });
  }
  if (step.into) ctx.vars[step.into] = pid;
  if (waitFor) {
    const window = await waitForTitle(waitFor, ctx.timeoutMs, ctx.signal, existing);
    await focus(window);
    actedOn(ctx, window);
  }
};

export const focusWindow: StepHandler<StepOf<'desktop.focusWindow'>> = async (step, ctx) => {
  await ensureDesktop();
  const started = Date.now();
  const by: { title: string } | { process: string } = step.title !== undefined ? { title: ctx.renderText(step.title) } : { process: ctx.renderText(step.process!) };
  const list = (): Promise<DesktopWindow[]> => ('title' in by ? findWindows(by.title) : findProcessWindows(by.process));
  const named = 'title' in by ? `a title matching "${by.title}"` : `process "${by.process}"`;
  const windows = await waitForWindows(ctx, by);
  if (windows.length === 1) {
    const window = windows[0]!;
    await focus(window);
    actedOn(ctx, window);
    return { locator: { index: 0, description: `window "${window.title}"`, fallback: false } };
  }
  // Several windows match: resolved as a click target's window is — the one that shows the
  // recorded target; never merely the first listed.
  if (!step.holds) {
    const listed = windows.map((window) => `window "${window.title}" at (${window.rect.x}, ${window.rect.y}) ${window.rect.width}×${window.rect.height}`);
    throw new AmbiguousLocatorError(
      `${windows.length} windows have ${named}; nothing was focused. ${listed.join('; ')}. Close the others, give a title that names one, or add "holds": a target only that window shows`,
      { windows: windows.map((window) => ({ id: window.id, title: window.title, rect: window.rect })) },
    );
  }
  const target = { ...(ctx.render(step.holds) as DesktopTarget), window: 'title' in by ? by.title : `process ${by.process}` };
  const match = await locateDesktopTarget(target, {
    resolvePath: (file) => ctx.resolvePath(file),
    timeoutMs: Math.max(1, ctx.timeoutMs - (Date.now() - started)),
    signal: ctx.signal,
    listWindows: list,
  });
  const window = match.window!;
  await focus(window);
  actedOn(ctx, window);
  return { locator: { index: 0, description: `window "${window.title}" at (${window.rect.x}, ${window.rect.y}), the one showing ${match.via}`, fallback: false } };
};
