// desktop.launch, desktop.focusWindow
import type { StepOf } from '../../format/schema.js';
import { launchProgram, waitForWindow as waitForTitle } from '../../desktop/launch.js';
import { focusWindow as focus } from '../../desktop/windows.js';
import type { StepHandler } from '../../runner/step-context.js';
import { ensureDesktop, waitForWindow } from './common.js';

export const launch: StepHandler<StepOf<'desktop.launch'>> = async (step, ctx) => {
  await ensureDesktop();
  const program = ctx.renderText(step.program);
  const args = (step.args ?? []).map((arg) => ctx.renderText(arg));
  const cwd = ctx.resolvePath(step.cwd ? ctx.renderText(step.cwd) : '.');
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
  if (step.waitForWindow) {
    const window = await waitForTitle(step.waitForWindow, ctx.timeoutMs, ctx.signal);
    await focus(window);
  }
};

export const focusWindow: StepHandler<StepOf<'desktop.focusWindow'>> = async (step, ctx) => {
  await ensureDesktop();
  const window = await waitForWindow(ctx, step.title !== undefined ? { title: ctx.renderText(step.title) } : { process: ctx.renderText(step.process!) });
  await focus(window);
  return { locator: { index: 0, description: `window "${window.title}"`, fallback: false } };
};
