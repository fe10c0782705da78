// Puts model calls on the run's record (model.called): every call, failed and cancelled ones
// included (their paid attempts count in the run's cost), with what the PII guard masked.
import { callRecordOf } from '../../ai/openai-provider.js';
import type { ModelCallRecord } from '../../extract/types.js';
import type { StepContext } from '../../runner/step-context.js';

export function reportCall(ctx: StepContext, call: ModelCallRecord, options: { shadow?: boolean } = {}): void {
  const { masked, ...recorded } = call;
  ctx.emit({
    type: 'model.called',
    path: ctx.path,
    call: { ...recorded, ...(options.shadow ? { shadow: true } : {}) },
    ...(masked && Object.keys(masked).length ? { masked } : {}),
    ...(call.costUsd !== undefined ? { cost: call.costUsd } : {}),
  });
}

/**
 * Runs one provider call and records it, whether it answers or fails: a failed call's error
 * carries the record of its attempts (tokens paid for unusable answers included).
 */
export async function recordedCall<R extends { call?: ModelCallRecord | undefined }>(ctx: StepContext, run: () => Promise<R>, options: { shadow?: boolean } = {}): Promise<R> {
  let result: R;
  try {
    result = await run();
  } catch (error) {
    const call = callRecordOf(error);
    if (call) reportCall(ctx, call, options);
    throw error;
  }
  if (result.call) reportCall(ctx, result.call, options);
  return result;
}
