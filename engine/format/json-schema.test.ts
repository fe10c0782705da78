import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { automationJsonSchema, automationJsonSchemaText } from './json-schema.js';
import { FORMAT_VERSION, STEP_KINDS } from './schema.js';

// The compiled test runs from dist/engine/format/; the repository root is three levels up.
// A build into another folder (e.g. /tmp) is run from the repository root instead.
function schemaFile(): string {
  const besideDist = fileURLToPath(new URL('../../../automations/automation.schema.json', import.meta.url));
  if (existsSync(besideDist)) return besideDist;
  const fromCwd = path.join(process.cwd(), 'automations', 'automation.schema.json');
  assert.ok(existsSync(fromCwd), `automation.schema.json not found next to the build (${besideDist}) nor in ${process.cwd()}; run the tests from the repository root`);
  return fromCwd;
}

type JsonObject = Record<string, unknown>;
const asObject = (value: unknown): JsonObject => {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `expected an object, got ${JSON.stringify(value)}`);
  return value as JsonObject;
};

describe('automation.schema.json', () => {
  it('is current with engine/format/schema.ts (run: npm run gen:schema)', () => {
    assert.equal(readFileSync(schemaFile(), 'utf8'), automationJsonSchemaText());
  });

  it('has the id, title and draft of the current format', () => {
    const schema = automationJsonSchema();
    assert.equal(schema['$id'], `https://open-rpa-studio.dev/schema/automation-${FORMAT_VERSION}.json`);
    assert.equal(schema['title'], `RPA automation (format ${FORMAT_VERSION})`);
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(automationJsonSchemaText().endsWith('}\n'));
  });

  it('defines steps once in $defs and refers to them recursively from container steps', () => {
    const schema = automationJsonSchema();
    const steps = asObject(asObject(schema['properties'])['steps']);
    const ref = asObject(steps['items'])['$ref'];
    assert.equal(typeof ref, 'string');
    const defName = (ref as string).replace('#/$defs/', '');
    const stepDef = asObject(asObject(schema['$defs'])[defName]);
    const variants = stepDef['oneOf'] as unknown[];
    assert.ok(Array.isArray(variants));

    const byKind = new Map(variants.map((variant) => [asObject(asObject(asObject(variant)['properties'])['kind'])['const'], asObject(variant)]));
    assert.deepEqual([...byKind.keys()].sort(), [...STEP_KINDS].sort());
    assert.equal(byKind.size, STEP_KINDS.length);

    const nested: Array<[string, string]> = [
      ['flow.if', 'then'],
      ['flow.if', 'else'],
      ['flow.forEach', 'steps'],
      ['flow.try', 'steps'],
      ['flow.try', 'catch'],
      ['flow.try', 'finally'],
    ];
    for (const [kind, field] of nested) {
      const property = asObject(asObject(byKind.get(kind)?.['properties'])[field]);
      assert.equal(asObject(property['items'])['$ref'], ref, `${kind}.${field} should refer to the step definition`);
    }
  });

  it('lists every step kind, and only strict objects', () => {
    const text = automationJsonSchemaText();
    for (const kind of STEP_KINDS) assert.ok(text.includes(`"const": "${kind}"`), `${kind} missing from the JSON Schema`);
    const schema = automationJsonSchema();
    const ref = asObject(asObject(asObject(schema['properties'])['steps'])['items'])['$ref'] as string;
    const stepDef = asObject(asObject(schema['$defs'])[ref.replace('#/$defs/', '')]);
    for (const variant of stepDef['oneOf'] as unknown[]) assert.equal(asObject(variant)['additionalProperties'], false);
  });
});
