// After a person approved or corrected an ai.extract review of the local reader, the layout of
// that document is learned from the person's values (engine/extract/learn): the document is read
// again from its file — the review keeps its text's SHA-256, not its lines — and only when it is
// still the same document. Learning never fails a review: a document gone or changed teaches
// nothing.
import { existsSync } from 'node:fs';
import { readDocument } from '../documents/read-document.js';
import { documentSha256 } from '../extract/learn/layout-template.js';
import { TemplateReader, type TemplateSource } from '../extract/learn/template-reader.js';
import { extractFields, LocalProvider } from '../extract/local/local-provider.js';
import type { FieldRule, FieldSpec } from '../format/schema.js';
import type { ReviewDecision, ReviewTask } from './review-store.js';

export async function learnFromReview(templates: TemplateSource, task: ReviewTask, decision: ReviewDecision): Promise<{ id: string; version: number; fields: string[] } | undefined> {
  if (decision.decision === 'rejected' || task.details['kind'] !== 'ai.extract' || task.details['provider'] !== 'local') return undefined;
  const document = task.details['document'] as { file?: string; sha256?: string } | undefined;
  const specs = task.details['specs'] as FieldSpec[] | undefined;
  if (!document?.file || !specs?.length || !existsSync(document.file)) return undefined;
  try {
    const text = await readDocument(document.file);
    if (document.sha256 && documentSha256(text) !== document.sha256) return undefined;
    // What the generic reader makes of the document, read again here: the review's model output
    // already holds the template's values, and "the generic reader was right" must not mean
    // "the template was". Where it was right, a later disagreement with the template is a warning.
    const rules = task.details['rules'] as FieldRule[] | undefined;
    const generic = Object.fromEntries(extractFields(specs, rules, text).map((f) => [f.name, f.value]));
    const template = new TemplateReader(new LocalProvider(), templates).learn(text, specs, decision.values, { reviewId: task.id, generic });
    return template ? { id: template.id, version: template.version, fields: Object.keys(template.fields) } : undefined;
  } catch {
    return undefined;
  }
}
