import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldSpec } from '../format/schema.js';
import { fieldsToJsonSchema, type JsonSchema } from './json-schema.js';

const fields: FieldSpec[] = [
  { name: 'invoiceNumber', type: 'string', required: true, labels: ['Invoice No.'], pattern: 'INV-\\d+' },
  { name: 'total', type: 'money', description: 'Grand total' },
  { name: 'invoiceDate', type: 'date' },
  { name: 'kind', type: 'enum', values: ['Auto', 'Home'] },
  { name: 'items', type: 'list' },
  { name: 'paid', type: 'boolean' },
];

// Strict mode: every object lists all its properties as required and allows no others.
function assertStrict(schema: unknown, where: string): void {
  if (Array.isArray(schema)) return schema.forEach((s, i) => assertStrict(s, `${where}[${i}]`));
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as JsonSchema;
  if (s['type'] === 'object') {
    assert.equal(s['additionalProperties'], false, `${where}: additionalProperties`);
    assert.deepEqual([...(s['required'] as string[])].sort(), Object.keys(s['properties'] as object).sort(), `${where}: required`);
  }
  for (const [key, value] of Object.entries(s)) assertStrict(value, `${where}.${key}`);
}

describe('fieldsToJsonSchema', () => {
  const schema = fieldsToJsonSchema(fields);
  const props = schema['properties'] as Record<string, JsonSchema>;
  const valueOf = (name: string): JsonSchema => (props[name]!['properties'] as Record<string, JsonSchema>)['value']!;

  it('is strict-mode compatible all the way down', () => {
    assertStrict(schema, 'schema');
    assert.deepEqual(schema['required'], fields.map((f) => f.name));
  });

  it('gives each field value, confidence and source, with nullable typed values', () => {
    assert.deepEqual(Object.keys(props['total']!['properties'] as object), ['value', 'confidence', 'source']);
    assert.deepEqual(valueOf('total'), { type: ['number', 'null'] });
    assert.deepEqual(valueOf('invoiceDate'), { type: ['string', 'null'] });
    assert.deepEqual(valueOf('paid'), { type: ['boolean', 'null'] });
    assert.deepEqual(valueOf('kind'), { anyOf: [{ type: 'string', enum: ['Auto', 'Home'] }, { type: 'null' }] });
    assert.equal((valueOf('items')['anyOf'] as JsonSchema[])[0]!['type'], 'array');
    const source = (props['total']!['properties'] as Record<string, JsonSchema>)['source']!;
    assert.deepEqual(((source['anyOf'] as JsonSchema[])[0]!['required']), ['page', 'text']);
  });

  it('puts the description and hints where a model reads them', () => {
    assert.match(props['total']!['description'] as string, /^Grand total .*plain JSON number/);
    assert.match(props['invoiceDate']!['description'] as string, /YYYY-MM-DD/);
    assert.match(props['invoiceNumber']!['description'] as string, /"Invoice No\."/);
    assert.match(props['invoiceNumber']!['description'] as string, /Required\./);
  });
});
