// ai.classify: one of the declared labels, with a confidence; below the threshold a person
// picks the label (or the step fails, by policy).
import { BusinessError } from '../../errors.js';
import { ProviderConfigError } from '../../ai/errors.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';
import { asText } from './document-input.js';
import { DEFAULT_THRESHOLD } from './extract.js';
import { recordedCall } from './report-call.js';
import { acceptedValues } from './review-values.js';

export const classify: StepHandler<StepOf<'ai.classify'>> = async (step, ctx) => {
  const names = step.labels.map((l) => l.name);
  const fromReview = (values: Record<string, unknown>, reviewer: string): void => {
    const label = values['label'];
    if (typeof label !== 'string' || !names.includes(label)) throw new BusinessError(`the reviewed label ${JSON.stringify(label)} is not one of ${names.join(', ')}`);
    ctx.vars[step.into] = { label, confidence: label === values['proposed'] ? Number(values['confidence'] ?? 1) : 1, reviewer };
  };
  const resumed = ctx.resumedReview();
  if (resumed) return fromReview(acceptedValues(resumed), resumed.reviewer);

  const providerName = step.provider ?? 'local';
  const provider = ctx.models().get(providerName);
  if (!provider.classify) throw new ProviderConfigError(`provider "${providerName}" cannot classify; name a configured model provider in the step's "provider"`);
  const prompt = step.prompt ? { id: step.prompt.id, version: step.prompt.version, ...(step.prompt.text ? { text: ctx.renderText(step.prompt.text) } : {}) } : undefined;
  const request = { text: asText(ctx.render(step.input)), labels: step.labels, model: step.model, prompt };
  const result = await recordedCall(ctx, () => provider.classify!(request, ctx.signal));
  const threshold = step.review?.threshold ?? DEFAULT_THRESHOLD;
  ctx.log('info', `classified as ${result.label} (confidence ${result.confidence.toFixed(2)})`);
  if (result.confidence >= threshold) {
    ctx.vars[step.into] = { label: result.label, confidence: result.confidence };
    return;
  }
  const problem = `confidence ${result.confidence.toFixed(2)} of "${result.label}" is below ${threshold}`;
  if ((step.review?.onLowConfidence ?? 'review') === 'fail') throw new BusinessError(`classification needs a person, and the step's review policy is "fail": ${problem}`);
  const decision = await ctx.review({
    title: step.review?.title ? ctx.renderText(step.review.title) : `Choose the label (${names.join(' / ')})`,
    instructions: problem,
    ...(step.review?.assignee ? { assignee: step.review.assignee } : {}),
    values: { label: result.label, proposed: result.label, confidence: result.confidence },
    details: { kind: 'ai.classify', labels: names, provider: providerName, modelOutput: { label: result.label, confidence: result.confidence } },
  });
  fromReview(acceptedValues(decision), decision.reviewer);
};
