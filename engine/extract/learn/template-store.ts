// Learned layout templates in the local SQLite store: the current version of each (what the
// reader uses) and every version stored (what an audit trail's "template X v3" points to).
// Export gives the JSON a person can read or carry to another machine; remove stops its use
// (its past versions stay, as the runs that used them do).
import { z } from 'zod';
import { UsageError } from '../../errors.js';
import type { Database } from '../../store/database.js';
import type { LayoutTemplate } from './layout-template.js';

const placeSchema = z.object({
  relation: z.enum(['inline', 'left', 'above', 'column', 'mark', 'at']),
  anchor: z.array(z.string().min(1)),
  page: z.number().int().min(1),
  anchorAt: z.object({ x: z.number(), y: z.number() }),
  offset: z.object({ dx: z.number(), dy: z.number() }),
  dayFirst: z.boolean().optional(),
  cut: z.string().optional(),
  column: z.object({ x0: z.number(), x1: z.number() }).optional(),
  mark: z.object({ symbol: z.string(), value: z.string() }).optional(),
});

export const layoutTemplateSchema = z.object({
  id: z.string().regex(/^tpl-[0-9a-z-]{4,64}$/),
  version: z.number().int().min(1),
  schemaKey: z.string().min(1),
  fingerprint: z.array(z.string()),
  fields: z.record(z.string(), placeSchema),
  learnedFrom: z.array(z.object({ documentSha256: z.string(), reviewId: z.string().optional(), version: z.number().int() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export class TemplateStore {
  constructor(private readonly db: Database) {}

  /** Stores a template as its current version (and in the version history). */
  save(template: LayoutTemplate): void {
    const json = JSON.stringify(template);
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO extraction_templates (id, version, schema_key, template_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET version = excluded.version, template_json = excluded.template_json, updated_at = excluded.updated_at`)
        .run(template.id, template.version, template.schemaKey, json, template.createdAt, template.updatedAt);
      this.db.prepare('INSERT OR REPLACE INTO extraction_template_versions (id, version, template_json, stored_at) VALUES (?, ?, ?, ?)').run(template.id, template.version, json, template.updatedAt);
    })();
  }

  list(): LayoutTemplate[] {
    return this.db.prepare<[], string>('SELECT template_json FROM extraction_templates ORDER BY id').pluck().all().map((j) => JSON.parse(j) as LayoutTemplate);
  }

  /** The current version, or the given one (also of a removed template). */
  get(id: string, version?: number): LayoutTemplate | undefined {
    const json =
      version === undefined
        ? this.db.prepare<[string], string>('SELECT template_json FROM extraction_templates WHERE id = ?').pluck().get(id)
        : this.db.prepare<[string, number], string>('SELECT template_json FROM extraction_template_versions WHERE id = ? AND version = ?').pluck().get(id, version);
    return json === undefined ? undefined : (JSON.parse(json) as LayoutTemplate);
  }

  /** Stops the template's use; its stored versions stay for the audit trail. False when there is none. */
  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM extraction_templates WHERE id = ?').run(id).changes === 1;
  }

  export(id: string): string {
    const template = this.get(id);
    if (!template) throw new UsageError(`no layout template ${id}; rpa templates list shows them`);
    return `${JSON.stringify(template, null, 2)}\n`;
  }

  /** Imports an exported template (checked), as its current version. */
  import(json: string): LayoutTemplate {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new UsageError(`the layout template is not JSON: ${(error as Error).message}`);
    }
    const result = layoutTemplateSchema.safeParse(parsed);
    if (!result.success) throw new UsageError(`not a layout template: ${result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
    const template = result.data;
    this.save(template);
    return template;
  }
}
