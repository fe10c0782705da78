// A provider that reads a document from a learned layout template when one fits, and from the
// wrapped (generic) provider otherwise and for every field the template does not place: a
// value the template places wins (the generic reader is what the person had to correct).
import type { FieldSpec } from '../../format/schema.js';
import type { DocumentText, ExtractedField, ExtractionProvider, ExtractionRequest, ExtractionResult } from '../types.js';
import { learnTemplate, readWithTemplate, templateFor, type LayoutTemplate } from './layout-template.js';

export interface TemplateSource {
  list(): LayoutTemplate[];
  save(template: LayoutTemplate): void;
}

export class TemplateReader implements ExtractionProvider {
  readonly name: string;

  constructor(
    private readonly generic: ExtractionProvider,
    private readonly templates: TemplateSource,
  ) {
    this.name = generic.name;
  }

  async extract(request: ExtractionRequest, signal: AbortSignal): Promise<ExtractionResult> {
    const base = await this.generic.extract(request, signal);
    const template = templateFor(this.templates.list(), request.document, request.fields);
    if (!template) return { ...base, knownLayout: false };
    const placed = new Map(readWithTemplate(template, request.document, request.fields, { generic: Object.fromEntries(base.fields.map((f) => [f.name, f.value])) }).map((f) => [f.name, f]));
    const fields: ExtractedField[] = base.fields.map((field) => placed.get(field.name) ?? field);
    return { ...base, fields, knownLayout: true };
  }

  /** Learns (or updates) the layout's template from a person's values; returns it, or undefined when nothing could be placed. */
  learn(document: DocumentText, fields: readonly FieldSpec[], values: Record<string, unknown>, options: { reviewId?: string; generic?: Record<string, unknown> } = {}): LayoutTemplate | undefined {
    const existing = templateFor(this.templates.list(), document, fields);
    const template = learnTemplate(document, fields, values, { ...(existing ? { existing } : {}), ...options });
    if (template) this.templates.save(template);
    return template;
  }
}
