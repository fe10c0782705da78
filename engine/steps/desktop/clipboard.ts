// clipboard.get, clipboard.set
import type { StepOf } from '../../format/schema.js';
import { readClipboard, writeClipboard } from '../../desktop/control.js';
import type { StepHandler } from '../../runner/step-context.js';
import { ensureDesktop } from './common.js';

export const clipboardGet: StepHandler<StepOf<'clipboard.get'>> = async (step, ctx) => {
  await ensureDesktop();
  ctx.vars[step.into] = await readClipboard();
};

export const clipboardSet: StepHandler<StepOf<'clipboard.set'>> = async (step, ctx) => {
  await ensureDesktop();
  await writeClipboard(ctx.renderText(step.text));
};
