// Puts one model call on the run's record (model.called), with what the PII guard masked.
import { OpenAiProvider } from '../../ai/openai-provider.js';
import type { ModelProvider } from '../../ai/types.js';
import type { ModelCallRecord } from '../../extract/types.js';
import type { StepContext } from '../../runner/step-context.js';

export function reportCall(ctx: StepContext, provider: ModelProvider, call: ModelCallRecord): void {
  const info = provider instanceof OpenAiProvider ? provider.lastCallInfo : undefined;
  if (info?.imagesWithheld) ctx.log('warn', `${info.imagesWithheld} page image(s) not sent to ${provider.name}: the document's text holds personal data the images would show unmasked`);
  ctx.emit({
    type: 'model.called',
    path: ctx.path,
    call,
    ...(info?.masked.length ? { masked: Object.fromEntries(info.masked.map((f) => [f.kind, f.count])) } : {}),
    ...(call.costUsd !== undefined ? { cost: call.costUsd } : {}),
  });
}
