// ai.ask: a free-text answer from a model (e.g. a draft status message).
import { ProviderConfigError } from '../../ai/errors.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';
import { asText } from './document-input.js';
import { recordedCall } from './report-call.js';

export const ask: StepHandler<StepOf<'ai.ask'>> = async (step, ctx) => {
  const providerName = step.provider ?? 'local';
  const provider = ctx.models().get(providerName);
  if (!provider.ask) throw new ProviderConfigError(`provider "${providerName}" cannot answer free-text questions; name a configured model provider in the step's "provider"`);
  const prompt = step.prompt ? { id: step.prompt.id, version: step.prompt.version, ...(step.prompt.text ? { text: ctx.renderText(step.prompt.text) } : {}) } : undefined;
  const request = { question: ctx.renderText(step.question), context: step.input === undefined ? undefined : asText(ctx.render(step.input)), maxTokens: step.maxTokens, model: step.model, prompt };
  const result = await recordedCall(ctx, () => provider.ask!(request, ctx.signal));
  ctx.vars[step.into] = result.text;
};
