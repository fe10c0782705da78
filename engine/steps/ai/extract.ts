// ai.extract: fields out of a document through a provider, normalised and validated; fields
// below the confidence threshold or failing a validator go to a person (or fail the step).
import { createHash } from 'node:crypto';
import { placeholdersIn } from '../../ai/pii.js';
import { BusinessError } from '../../errors.js';
import type { ExtractedField, ExtractionRequest, FieldSource } from '../../extract/types.js';
import { normaliseValue, validateFields } from '../../extract/validate.js';
import type { StepOf } from '../../format/schema.js';
import type { StepContext, StepHandler } from '../../runner/step-context.js';
import type { ReviewDecision } from '../../review/review-store.js';
import { documentFrom, imagesOf, type DocumentReader } from './document-input.js';
import { recordedCall } from './report-call.js';
import { acceptedValues, correctedFields } from './review-values.js';
import { compareWithShadow, readShadow } from './shadow.js';

export const DEFAULT_THRESHOLD = 0.8;

export interface FieldDetail {
  value: unknown;
  confidence: number;
  source?: FieldSource | { reviewer: string };
  problems: string[];
}

function finish(step: StepOf<'ai.extract'>, ctx: StepContext, values: Record<string, unknown>, details: Record<string, FieldDetail>): void {
  ctx.vars[step.into] = values;
  if (step.detailsInto) ctx.vars[step.detailsInto] = details;
}

/** After review: corrected fields are the reviewer's, with full confidence. */
function applyDecision(step: StepOf<'ai.extract'>, ctx: StepContext, decision: ReviewDecision, proposed: Record<string, unknown>, details: Record<string, FieldDetail>): void {
  const accepted = acceptedValues(decision);
  const values: Record<string, unknown> = {};
  for (const spec of step.fields) values[spec.name] = normaliseValue(spec, accepted[spec.name]).value;
  const corrected = new Set(correctedFields(proposed, values));
  const reviewed = Object.fromEntries(
    step.fields.map((spec) => {
      const before = details[spec.name] ?? { value: null, confidence: 0, problems: [] };
      return [spec.name, corrected.has(spec.name) ? { value: values[spec.name], confidence: 1, source: { reviewer: decision.reviewer }, problems: [] } : { ...before, problems: [] }];
    }),
  );
  ctx.log('info', `review ${decision.decision} by ${decision.reviewer}${corrected.size ? `; corrected ${[...corrected].join(', ')}` : ''}`);
  finish(step, ctx, values, reviewed);
}

export function extractHandler(readDocument: DocumentReader): StepHandler<StepOf<'ai.extract'>> {
  return async (step, ctx) => {
    const resumed = ctx.resumedReview();
    if (resumed) {
      applyDecision(step, ctx, resumed, resumed.task.values, (resumed.task.details['fields'] ?? {}) as Record<string, FieldDetail>);
      return;
    }
    const providerName = step.provider ?? 'local';
    const provider = ctx.models().get(providerName);
    const document = await documentFrom(ctx.render(step.document), ctx, readDocument);
    const prompt = step.prompt ? { id: step.prompt.id, version: step.prompt.version, ...(step.prompt.text ? { text: ctx.renderText(step.prompt.text) } : {}) } : undefined;
    const request: ExtractionRequest = { fields: step.fields, ...(step.rules ? { rules: step.rules } : {}), document, ...(step.model ? { model: step.model } : {}), ...(prompt ? { prompt } : {}) };
    const images = provider.remote ? await imagesOf(document) : [];
    // Shadow mode: a second provider reads the same document at the same time. Its reading
    // never rejects and nothing below uses its values: it is compared and recorded only.
    const shadowChoice = ctx.models().shadowFor(step.shadow);
    const shadow = shadowChoice ? readShadow(ctx, shadowChoice, request) : undefined;
    let result;
    try {
      result = await recordedCall(ctx, () => provider.extract({ ...request, ...(images.length ? { images } : {}) }, ctx.signal));
    } catch (error) {
      if (shadow) compareWithShadow(ctx, { provider: providerName }, step.fields, undefined, await shadow);
      throw error;
    }
    if (result.imagesWithheld) ctx.log('warn', `${result.imagesWithheld} page image(s) not sent to ${provider.name}: the document's text holds personal data the images would show unmasked`);

    const byName = new Map<string, ExtractedField>(result.fields.map((f) => [f.name, f]));
    const raw = Object.fromEntries(step.fields.map((spec) => [spec.name, byName.get(spec.name)?.value ?? null]));
    const values: Record<string, unknown> = {};
    const details: Record<string, FieldDetail> = {};
    for (const spec of step.fields) {
      const got = byName.get(spec.name);
      values[spec.name] = normaliseValue(spec, raw[spec.name]).value;
      details[spec.name] = { value: values[spec.name], confidence: got?.confidence ?? 0, ...(got?.source ? { source: got.source } : {}), problems: [...(got?.problems ?? [])] };
      // Text shaped like a PII placeholder ("[IBAN-1]") that the document does not show is
      // never a value to accept, whichever provider produced it and whatever its confidence.
      const foreign = placeholdersIn(raw[spec.name]).filter((tag) => !document.text.includes(tag));
      if (foreign.length) details[spec.name]!.problems.push(`holds ${foreign.map((t) => `"${t}"`).join(', ')}, a placeholder for masked personal data that is not on the document: it cannot be accepted`);
    }
    if (shadow) {
      const confidence = Object.fromEntries(Object.entries(details).map(([name, d]) => [name, d.confidence]));
      compareWithShadow(ctx, { provider: providerName, ...(result.call ? { model: result.call.model } : {}) }, step.fields, { values, confidence }, await shadow);
    }
    const problems = validateFields(step.fields, step.rules, raw);
    const general: string[] = [];
    for (const problem of problems) {
      const detail = details[problem.field];
      if (detail) detail.problems.push(problem.message);
      else general.push(`${problem.field}: ${problem.message}`);
    }
    // A kind of document no reviewer has confirmed yet: the reader's confidences were never checked on it.
    if (step.review?.newLayouts === 'review' && result.knownLayout !== true) general.push(`new layout: no reviewer has confirmed a document laid out like this one yet (review.newLayouts is "review")${result.knownLayout === undefined ? `; ${providerName} learns no layouts, so every document goes to a person` : ''}`);
    const threshold = step.review?.threshold ?? DEFAULT_THRESHOLD;
    for (const detail of Object.values(details)) {
      if (detail.confidence < threshold) detail.problems.push(`confidence ${detail.confidence.toFixed(2)} is below ${threshold}`);
    }
    const uncertain = Object.entries(details).filter(([, d]) => d.problems.length);
    const routedToReview = (uncertain.length > 0 || general.length > 0) && (step.review?.onLowConfidence ?? 'review') === 'review';
    ctx.emit({
      type: 'extraction',
      path: ctx.path,
      provider: providerName,
      fields: Object.entries(details).map(([name, d]) => ({ name, confidence: d.confidence, problems: d.problems, ...(d.source && 'template' in d.source && d.source.template ? { template: d.source.template } : {}) })),
      problems: general,
      threshold,
      routedToReview,
    });
    if (!uncertain.length && !general.length) {
      finish(step, ctx, values, details);
      return;
    }
    const listed = [...uncertain.map(([name, d]) => `${name}: ${d.problems.join('; ')}`), ...general];
    if (!routedToReview) throw new BusinessError(`extraction needs a person, and the step's review policy is "fail":\n  ${listed.join('\n  ')}`, { problems: listed });
    const decision = await ctx.review({
      title: step.review?.title ? ctx.renderText(step.review.title) : `Check ${uncertain.map(([name]) => name).join(', ') || 'the extracted values'}${document.file ? ` of ${document.file.split(/[\\/]/).pop()}` : ''}`,
      instructions: `${listed.length} problem${listed.length === 1 ? '' : 's'}: ${listed.join('; ')}`,
      ...(step.review?.assignee ? { assignee: step.review.assignee } : {}),
      values,
      details: {
        kind: 'ai.extract',
        fields: details,
        problems: general,
        specs: step.fields,
        ...(step.rules ? { rules: step.rules } : {}),
        provider: providerName,
        ...(result.call ? { model: result.call.model } : {}),
        modelOutput: raw,
        document: { ...(document.file ? { file: document.file } : {}), sha256: createHash('sha256').update(document.text).digest('hex'), method: document.method, pages: document.pages.length, pageSizes: document.pages.map((p) => ({ width: p.width, height: p.height })) },
      },
    });
    applyDecision(step, ctx, decision, values, details);
  };
}
