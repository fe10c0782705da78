// Turning a review decision back into step results, shared by ai.extract, ai.classify and
// human.review: a rejection fails the step, otherwise the (corrected) values are used.
import { BusinessError } from '../../errors.js';
import type { ReviewDecision } from '../../review/review-store.js';

export function acceptedValues(decision: ReviewDecision): Record<string, unknown> {
  if (decision.decision === 'rejected') {
    throw new BusinessError(`rejected by ${decision.reviewer}${decision.comment ? `: ${decision.comment}` : ''}`, { reviewer: decision.reviewer });
  }
  return decision.values;
}

/** Names of fields a reviewer changed. */
export function correctedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}
