// human.review: a person confirms or corrects values; the run pauses until they decide.
import { RpaError } from '../../errors.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';
import type { ReviewDecision } from '../../review/review-store.js';
import { acceptedValues } from './review-values.js';

function asRecord(value: unknown, what: string, stepPath: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new RpaError(`step ${stepPath}: human.review ${what} must be an object of named values, got ${Array.isArray(value) ? 'a list' : typeof value}`);
  return value as Record<string, unknown>;
}

export const humanReview: StepHandler<StepOf<'human.review'>> = async (step, ctx) => {
  const settle = (decision: ReviewDecision): void => {
    const values = acceptedValues(decision);
    ctx.vars[step.into] = { decision: decision.decision, values, reviewer: decision.reviewer, ...(decision.comment ? { comment: decision.comment } : {}) };
  };
  const resumed = ctx.resumedReview();
  if (resumed) return settle(resumed);
  const decision = await ctx.review({
    title: ctx.renderText(step.title),
    ...(step.instructions ? { instructions: ctx.renderText(step.instructions) } : {}),
    ...(step.assignee ? { assignee: step.assignee } : {}),
    values: asRecord(ctx.render(step.values), '"values"', ctx.path),
    details: { kind: 'human.review', ...asRecord(ctx.render(step.details), '"details"', ctx.path) },
  });
  settle(decision);
};
