// The JSON Schema editors use to validate automation files, derived from the zod schema.
import { z } from 'zod';
import { Automation, FORMAT_VERSION } from './schema.js';

export function automationJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Automation, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return {
    ...schema,
    $id: `https://open-rpa-studio.dev/schema/automation-${FORMAT_VERSION}.json`,
    title: 'RPA automation (format 1)',
  };
}

export function automationJsonSchemaText(): string {
  return `${JSON.stringify(automationJsonSchema(), null, 2)}\n`;
}
