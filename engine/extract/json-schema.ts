// The JSON Schema a model's structured output must follow for a set of fields; shared by every
// provider that asks a model. Strict-mode compatible (OpenAI structured outputs and the
// servers that copy them): every property required, additionalProperties false, "absent" is
// a null value. Constraints models' decoders often lack (formats, ranges) go in descriptions;
// the validators check them afterwards anyway.
import type { FieldSpec } from '../format/schema.js';

export type JsonSchema = Record<string, unknown>;

function valueSchema(spec: FieldSpec): JsonSchema {
  switch (spec.type ?? 'string') {
    case 'number':
    case 'money':
      return { type: ['number', 'null'] };
    case 'boolean':
      return { type: ['boolean', 'null'] };
    case 'enum':
      return { anyOf: [{ type: 'string', enum: spec.values ?? [] }, { type: 'null' }] };
    case 'list':
      return { anyOf: [{ type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'string' }] } }, { type: 'null' }] };
    case 'date':
    case 'string':
      return { type: ['string', 'null'] };
  }
}

function describeField(spec: FieldSpec): string {
  const type = spec.type ?? 'string';
  const parts = [spec.description ?? spec.name];
  if (type === 'date') parts.push('Date as YYYY-MM-DD.');
  if (type === 'money') parts.push('Amount as a plain number, without currency or thousands separators.');
  if (type === 'list') parts.push('List of values, in document order.');
  if (spec.labels?.length) parts.push(`Printed next to: ${spec.labels.map((l) => `"${l}"`).join(', ')}.`);
  if (spec.pattern !== undefined) parts.push(`Must match /${spec.pattern}/.`);
  if (spec.min !== undefined) parts.push(`At least ${spec.min}.`);
  if (spec.max !== undefined) parts.push(`At most ${spec.max}.`);
  if (spec.notBefore !== undefined) parts.push(`Not before ${spec.notBefore}.`);
  if (spec.notAfter !== undefined) parts.push(`Not after ${spec.notAfter}.`);
  parts.push(spec.required ? 'Required.' : 'null when the document does not show it.');
  return parts.join(' ');
}

const sourceSchema: JsonSchema = {
  anyOf: [
    {
      type: 'object',
      description: 'Where the value was read.',
      properties: {
        page: { type: 'integer', description: '1-based page number.' },
        text: { type: 'string', description: 'The text span the value was read from, verbatim.' },
      },
      required: ['page', 'text'],
      additionalProperties: false,
    },
    { type: 'null' },
  ],
};

/** `{ [field]: { value, confidence, source: { page, text } | null } }`, every key required. */
export function fieldsToJsonSchema(fields: FieldSpec[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const spec of fields) {
    properties[spec.name] = {
      type: 'object',
      description: describeField(spec),
      properties: {
        value: valueSchema(spec),
        confidence: { type: 'number', description: 'How sure you are that the value is right, from 0 to 1.' },
        source: sourceSchema,
      },
      required: ['value', 'confidence', 'source'],
      additionalProperties: false,
    };
  }
  return { type: 'object', properties, required: fields.map((f) => f.name), additionalProperties: false };
}
