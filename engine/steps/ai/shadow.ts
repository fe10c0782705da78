// Shadow mode of ai.extract (the seeds' canary/shadow): a second provider reads the same
// document side by side with the step's provider. Its call is recorded (model.called marked
// shadow) and its per-field agreement with the primary goes on the run as a model.shadow
// event; nothing acts on its answer, and its failures (configuration, network, bad output)
// are a warning, never a failed step.
import { CancelledError } from '../../errors.js';
import type { ExtractedField, ExtractionRequest } from '../../extract/types.js';
import { normaliseValue } from '../../extract/validate.js';
import type { FieldSpec } from '../../format/schema.js';
import type { StepContext } from '../../runner/step-context.js';
import { imagesOf } from './document-input.js';
import { recordedCall } from './report-call.js';

export type ShadowReading = { provider: string; model?: string } & ({ ok: true; fields: ExtractedField[] } | { ok: false; error: string; cancelled: boolean });

/** Reads the document with the shadow provider. Never rejects. */
export async function readShadow(ctx: StepContext, choice: { provider: string; model?: string }, request: ExtractionRequest): Promise<ShadowReading> {
  // The step's `model` is for its own provider; the shadow uses its own (or its provider's default).
  const { model: _primaryModel, ...common } = request;
  try {
    const provider = ctx.models().get(choice.provider);
    const images = provider.remote ? await imagesOf(request.document) : [];
    const result = await recordedCall(ctx, () => provider.extract({ ...common, ...(images.length ? { images } : {}), ...(choice.model ? { model: choice.model } : {}) }, ctx.signal), { shadow: true });
    const model = result.call?.model ?? choice.model;
    return { provider: choice.provider, ...(model ? { model } : {}), ok: true, fields: result.fields };
  } catch (error) {
    return { provider: choice.provider, ...(choice.model ? { model: choice.model } : {}), ok: false, error: (error as Error).message ?? String(error), cancelled: ctx.signal.aborted || error instanceof CancelledError };
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 0.005;
  if (typeof a === 'string' && typeof b === 'string') return a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Records how the shadow's reading compares with the primary's values (normalised the same
 * way), field by field. `values` is undefined when the primary failed: nothing to compare.
 */
export function compareWithShadow(
  ctx: StepContext,
  primary: { provider: string; model?: string },
  specs: FieldSpec[],
  values: { values: Record<string, unknown>; confidence: Record<string, number> } | undefined,
  shadow: ShadowReading,
): void {
  const who = { provider: shadow.provider, ...(shadow.model ? { model: shadow.model } : {}) };
  if (!shadow.ok) {
    if (shadow.cancelled) return;
    ctx.log('warn', `shadow provider "${shadow.provider}" failed (nothing acts on a shadow; the step goes on): ${shadow.error}`);
    ctx.emit({ type: 'model.shadow', path: ctx.path, primary, shadow: who, status: 'failed', error: shadow.error });
    return;
  }
  if (!values) {
    ctx.emit({ type: 'model.shadow', path: ctx.path, primary, shadow: who, status: 'skipped' });
    return;
  }
  const byName = new Map(shadow.fields.map((f) => [f.name, f]));
  const fields = specs.map((spec) => {
    const got = byName.get(spec.name);
    const theirs = normaliseValue(spec, got?.value ?? null).value;
    return { name: spec.name, agree: same(values.values[spec.name], theirs), primaryConfidence: values.confidence[spec.name] ?? 0, shadowConfidence: got?.confidence ?? 0 };
  });
  const agreed = fields.filter((f) => f.agree).length;
  const differ = fields.filter((f) => !f.agree).map((f) => f.name);
  ctx.log('info', `shadow ${shadow.provider}${shadow.model ? ` (${shadow.model})` : ''} agrees on ${agreed} of ${fields.length} fields${differ.length ? `; differs on ${differ.join(', ')}` : ''} (recorded only)`);
  ctx.emit({ type: 'model.shadow', path: ctx.path, primary, shadow: who, status: 'compared', agreement: fields.length ? agreed / fields.length : 1, fields });
}
