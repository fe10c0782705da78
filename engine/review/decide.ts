// Turns what a reviewer said (approve, set field=value, reject) into a ReviewDecision, checking
// corrections against the task: unknown fields and values that do not fit the field's type
// are refused with a clear message before anything is recorded.
import { UsageError } from '../errors.js';
import { normaliseValue } from '../extract/validate.js';
import type { FieldSpec } from '../format/schema.js';
import type { ReviewDecision, ReviewTask } from './review-store.js';

export type ReviewAnswer = { approve: true } | { set: Record<string, string> } | { reject: string };

function parseLoose(text: string): unknown {
  // `--set done=true` or `--set items=[1,2]` mean JSON values; anything else is text.
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function decide(task: ReviewTask, answer: ReviewAnswer, reviewer: string): ReviewDecision {
  if ('approve' in answer) return { decision: 'approved', values: task.values, reviewer };
  if ('reject' in answer) {
    if (!answer.reject.trim()) throw new UsageError('a rejection needs a reason: --reject "why"');
    return { decision: 'rejected', values: task.values, reviewer, comment: answer.reject.trim() };
  }
  const specs = (task.details['specs'] as FieldSpec[] | undefined) ?? [];
  const values = { ...task.values };
  for (const [name, text] of Object.entries(answer.set)) {
    if (!Object.hasOwn(task.values, name)) {
      throw new UsageError(`review ${task.id} has no field "${name}"; its fields are ${Object.keys(task.values).join(', ') || '(none)'}`);
    }
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      values[name] = typeof task.values[name] === 'string' ? text : parseLoose(text);
      continue;
    }
    const normalised = normaliseValue(spec, text);
    if (!normalised.ok) throw new UsageError(`--set ${name}=${text}: expected a ${spec.type ?? 'string'}${spec.type === 'enum' ? ` (one of ${(spec.values ?? []).join(', ')})` : ''}`);
    values[name] = normalised.value;
  }
  return { decision: 'corrected', values, reviewer };
}
