// Writes automations/automation.schema.json, or with --check fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { automationJsonSchemaText } from './json-schema.js';

// This file runs from dist/engine/format/; the repository root is three levels up.
export const SCHEMA_FILE = fileURLToPath(new URL('../../../automations/automation.schema.json', import.meta.url));

function main(): void {
  const wanted = automationJsonSchemaText();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      // missing counts as out of date
    }
    if (current !== wanted) {
      console.error(`${SCHEMA_FILE} is out of date with engine/format/schema.ts; run: npm run gen:schema`);
      process.exit(1);
    }
    console.log('automation.schema.json is current');
    return;
  }
  writeFileSync(SCHEMA_FILE, wanted);
  console.log(`wrote ${SCHEMA_FILE}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
