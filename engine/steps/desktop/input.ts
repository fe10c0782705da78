// desktop.click, desktop.doubleClick, desktop.rightClick, desktop.type, desktop.press, desktop.drag
import type { StepOf } from '../../format/schema.js';
import { click as clickAt, drag as dragBetween, pressKeys, typeText } from '../../desktop/control.js';
import type { StepHandler } from '../../runner/step-context.js';
import { ensureDesktop, locate, matched } from './common.js';

type ClickKind = 'desktop.click' | 'desktop.doubleClick' | 'desktop.rightClick';

const clicking =
  (button: 'left' | 'right', count: 1 | 2): StepHandler<StepOf<ClickKind>> =>
  async (step, ctx) => {
    await ensureDesktop();
    const match = await locate(ctx, step.target);
    await clickAt(match.point, button, count);
    return { locator: matched(step.target, match) };
  };

export const click = clicking('left', 1);
export const doubleClick = clicking('left', 2);
export const rightClick = clicking('right', 1);

export const type: StepHandler<StepOf<'desktop.type'>> = async (step, ctx) => {
  await ensureDesktop();
  // The text may hold a secret: it is typed, never logged.
  await typeText(ctx.renderText(step.text));
};

export const press: StepHandler<StepOf<'desktop.press'>> = async (step) => {
  await ensureDesktop();
  await pressKeys(step.keys);
};

export const drag: StepHandler<StepOf<'desktop.drag'>> = async (step, ctx) => {
  await ensureDesktop();
  const started = Date.now();
  const from = await locate(ctx, step.from);
  const to = await locate(ctx, step.to, Math.max(1, ctx.timeoutMs - (Date.now() - started)));
  await dragBetween(from.point, to.point);
  return { locator: matched(step.from, from) };
};
