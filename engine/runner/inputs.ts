// Turns the inputs a caller gave (strings from the CLI, values from the API) into the
// typed inputs an automation declares, or says exactly what is wrong.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MissingInputError, UsageError } from '../errors.js';
import type { InputDecl } from '../format/schema.js';
import type { LoadedAutomation } from '../format/load.js';

function coerce(decl: InputDecl, raw: unknown, file: string, baseDir: string): unknown {
  const fail = (expected: string): never => {
    throw new UsageError(`${file}: input "${decl.name}" expects ${expected}, got ${JSON.stringify(raw)}`);
  };
  switch (decl.type) {
    case 'string':
      return typeof raw === 'string' ? raw : String(raw);
    case 'number': {
      if (raw === null || raw === undefined || typeof raw === 'boolean') return fail('a number');
      const value = typeof raw === 'number' ? raw : Number(raw);
      return typeof raw === 'string' && raw.trim() === '' ? fail('a number') : Number.isFinite(value) ? value : fail('a number');
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'yes' || raw === '1') return true;
      if (raw === 'false' || raw === 'no' || raw === '0') return false;
      return fail('true or false');
    case 'list':
      if (Array.isArray(raw)) return raw;
      if (typeof raw === 'string') {
        if (raw.trim().startsWith('[')) {
          try {
            const parsed: unknown = JSON.parse(raw);
            if (Array.isArray(parsed)) return parsed;
          } catch {
            return fail('a JSON list or comma-separated values');
          }
        }
        return raw === '' ? [] : raw.split(',').map((item) => item.trim());
      }
      return fail('a list');
    case 'file': {
      const resolved = path.resolve(baseDir, String(raw));
      if (!existsSync(resolved)) throw new UsageError(`${file}: input "${decl.name}": file ${resolved} does not exist`);
      return resolved;
    }
  }
}

/** `baseDir`: where relative file inputs are from (where the command was typed); default this process's folder. */
export function prepareInputs(automation: LoadedAutomation, given: Record<string, unknown>, baseDir = ''): Record<string, unknown> {
  const declared = automation.doc.inputs ?? [];
  const names = new Set(declared.map((d) => d.name));
  const unknown = Object.keys(given).filter((name) => !names.has(name));
  if (unknown.length) {
    throw new UsageError(
      `${automation.displayFile}: unknown input${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; it declares: ${[...names].join(', ') || 'no inputs'}`,
    );
  }
  const inputs: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const decl of declared) {
    if (decl.name in given) inputs[decl.name] = coerce(decl, given[decl.name], automation.displayFile, baseDir);
    else if (decl.default !== undefined) inputs[decl.name] = decl.default;
    else if (decl.required) missing.push(decl.name);
  }
  if (missing.length) {
    throw new MissingInputError(
      `${automation.displayFile}: missing required input${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')}; pass ${missing.map((n) => `--input ${n}=…`).join(' ')}`,
      { missing },
    );
  }
  return inputs;
}
