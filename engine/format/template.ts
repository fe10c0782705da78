// Templated values: "{{inputs.claimNo}}", "Total: {{vars.total}}", "{{secrets.portalPassword}}".
// A string that is exactly one reference yields the referenced value itself (a list stays
// a list); otherwise references are interpolated as text.

export const TEMPLATE_ROOTS = ['inputs', 'vars', 'secrets', 'run'] as const;
export type TemplateRoot = (typeof TEMPLATE_ROOTS)[number];

export interface TemplateReference {
  /** The whole expression as written, e.g. `vars.row.claimNo`. */
  expression: string;
  root: string;
  /** First segment after the root: the input, variable or secret name. */
  name: string;
  /** Remaining segments, e.g. ['claimNo'] for `vars.row.claimNo`. */
  rest: string[];
}

const REFERENCE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const EXPRESSION = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;

export function parseReference(expression: string): TemplateReference | { error: string } {
  if (!EXPRESSION.test(expression)) {
    return { error: `"{{${expression}}}" is not a reference; expected {{inputs.name}}, {{vars.name}}, {{secrets.name}} or {{run.id}}` };
  }
  const [root, name, ...rest] = expression.split('.') as [string, string, ...string[]];
  if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) {
    return { error: `"{{${expression}}}" starts with "${root}"; expected one of ${TEMPLATE_ROOTS.join(', ')}` };
  }
  return { expression, root, name, rest };
}

/** Every reference in a JSON value (strings anywhere inside objects and arrays). */
export function findReferences(value: unknown): Array<TemplateReference | { error: string }> {
  const found: Array<TemplateReference | { error: string }> = [];
  visitStrings(value, (text) => {
    for (const match of text.matchAll(REFERENCE)) found.push(parseReference(match[1] ?? ''));
  });
  return found;
}

function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const item of value) visitStrings(item, visit);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) visitStrings(item, visit);
}

export interface TemplateScope {
  inputs: Record<string, unknown>;
  vars: Record<string, unknown>;
  run: Record<string, unknown>;
  /** Looks a secret up by name; called only when a template uses it. */
  secret(name: string): string;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

function lookup(reference: TemplateReference, scope: TemplateScope): unknown {
  let value: unknown;
  switch (reference.root) {
    case 'secrets':
      if (reference.rest.length) throw new TemplateError(`{{${reference.expression}}}: a secret has no fields`);
      return scope.secret(reference.name);
    case 'inputs':
      value = scope.inputs[reference.name];
      break;
    case 'vars':
      if (!(reference.name in scope.vars)) {
        throw new TemplateError(`{{${reference.expression}}}: variable "${reference.name}" is not set at this point of the run`);
      }
      value = scope.vars[reference.name];
      break;
    default:
      value = scope.run[reference.name];
  }
  for (const segment of reference.rest) {
    if (value === null || typeof value !== 'object') {
      throw new TemplateError(`{{${reference.expression}}}: cannot read "${segment}" of ${value === null ? 'null' : typeof value}`);
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function resolve(expression: string, scope: TemplateScope): unknown {
  const reference = parseReference(expression);
  if ('error' in reference) throw new TemplateError(reference.error);
  return lookup(reference, scope);
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Renders a template string to text. */
export function renderText(template: string, scope: TemplateScope): string {
  if (!template.includes('{{')) return template;
  return template.replace(REFERENCE, (_all, expression: string) => asText(resolve(expression, scope)));
}

/** Renders any JSON value: strings are templated, a lone reference keeps its type. */
export function renderValue(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return resolve(whole[1] ?? '', scope);
    return renderText(value, scope);
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, scope));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, scope)]));
  }
  return value;
}
