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

/**
 * How a value of each field type is written in the answer. The one source for both the JSON
 * schema's field descriptions and the system prompt, so the two cannot disagree (the prompt
 * once asked for values "exactly as the document states it" while the schema asked for ISO
 * dates and plain numbers).
 */
export const VALUE_FORMATS: Record<NonNullable<FieldSpec['type']>, string> = {
  string: 'the text as the document prints it, on one line',
  number: 'a plain JSON number: "." as the decimal point, no thousands separators, no unit',
  money: 'a plain JSON number: "." as the decimal point, no currency symbol or code, no thousands separators (1.234,56 € → 1234.56; $1,234.56 → 1234.56)',
  date: 'an ISO date YYYY-MM-DD, whatever style the document prints it in (5. März 2024 → 2024-03-05; 03/05/2024 read as the document writes dates)',
  boolean: 'true or false',
  enum: 'exactly one of the allowed values',
  list: 'a JSON array of the values in document order (amounts as plain JSON numbers)',
};

/** The answer format of one field's value, as a sentence without the final period. */
export function valueFormat(spec: FieldSpec): string {
  const type = spec.type ?? 'string';
  return type === 'enum' ? `${VALUE_FORMATS.enum}: ${(spec.values ?? []).join(', ')}` : VALUE_FORMATS[type];
}

function describeField(spec: FieldSpec): string {
  const parts = [spec.description ?? spec.name];
  parts.push(`Value: ${valueFormat(spec)}.`);
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
