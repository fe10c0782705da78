// Loads an automation file and validates it completely before anything runs:
// JSON syntax, the schema, template references, and called automations.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { AutomationInvalidError, type ValidationIssue } from '../errors.js';
import { editDistance } from './edit-distance.js';
import { Automation, STEP_KINDS, type DesktopTarget, type Step } from './schema.js';
import { findReferences } from './template.js';

export interface LoadedAutomation {
  doc: Automation;
  /** Absolute path of the file. */
  file: string;
  /** The path as the user gave it; used in messages. */
  displayFile: string;
  dir: string;
  sha256: string;
  /** Automations reached through flow.call, by absolute path. */
  called: Map<string, LoadedAutomation>;
}

/** Loads and validates; throws AutomationInvalidError listing every problem found. */
export function loadAutomation(file: string): LoadedAutomation {
  const loaded = new Map<string, LoadedAutomation>();
  const result = loadInto(file, file, loaded, []);
  if (result.issues.length) throw new AutomationInvalidError(result.issues);
  return result.automation!;
}

interface LoadResult {
  automation?: LoadedAutomation;
  issues: ValidationIssue[];
}

function loadInto(file: string, displayFile: string, loaded: Map<string, LoadedAutomation>, stack: string[]): LoadResult {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, expected a .json file' : `cannot be read (${code})`;
    return { issues: [{ file: displayFile, path: '', message: why }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { issues: [{ file: displayFile, path: '', message: describeJsonError(text, error as Error) }] };
  }
  // Before the schema: zod (and every walker after it) recurses, so a document nested thousands
  // deep would end in "Maximum call stack size exceeded" instead of a problem with a JSON path.
  const tooDeep = checkNesting(json);
  if (tooDeep) return { issues: [{ file: displayFile, ...tooDeep }] };
  const parsed = Automation.safeParse(json);
  if (!parsed.success) {
    return { issues: parsed.error.issues.map((issue) => toIssue(displayFile, issue, json)) };
  }
  const automation: LoadedAutomation = {
    doc: parsed.data,
    file: absolute,
    displayFile,
    dir: path.dirname(absolute),
    sha256: createHash('sha256').update(text).digest('hex'),
    called: new Map(),
  };
  loaded.set(absolute, automation);
  const issues = checkSemantics(automation, loaded, [...stack, absolute]);
  return { automation, issues };
}

function describeJsonError(text: string, error: Error): string {
  // Node's own message has no position for several common mistakes (a trailing comma,
  // a stray token), so the offset comes from jsonc-parser, the parser VS Code uses.
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  const position = /position (\d+)/.exec(error.message);
  const offset = first ? first.offset : position ? Number(position[1]) : undefined;
  if (offset === undefined) return `invalid JSON: ${error.message}`;
  const before = text.slice(0, offset).split('\n');
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  const what = first ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : error.message.replace(/ in JSON at position \d+.*$/, '');
  return `invalid JSON at line ${line}, column ${column}: ${what}`;
}

export function formatJsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of options) {
    const distance = editDistance(word, option);
    if (distance < bestDistance) [best, bestDistance] = [option, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

function toIssue(file: string, issue: z.core.$ZodIssue, json: unknown): ValidationIssue {
  const at = formatJsonPath(issue.path);
  switch (issue.code) {
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator === 'kind') {
        const kind = valueAt(json, issue.path);
        if (kind === undefined) return { file, path: formatJsonPath(issue.path.slice(0, -1)), message: 'missing "kind"' };
        const suggestion = typeof kind === 'string' ? closest(kind, STEP_KINDS) : undefined;
        return {
          file,
          path: at,
          message: `unknown step kind ${JSON.stringify(kind)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        };
      }
      return { file, path: at, message: describeUnion(issue, valueAt(json, issue.path), isDesktopPath(json, issue.path)) };
    }
    case 'invalid_type': {
      const value = valueAt(json, issue.path);
      if (value === undefined) return { file, path: formatJsonPath(issue.path.slice(0, -1)), message: `missing required field "${String(issue.path.at(-1))}"` };
      return { file, path: at, message: `expected ${issue.expected}, got ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}` };
    }
    case 'unrecognized_keys':
      return { file, path: at, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
    case 'invalid_value':
      return { file, path: at, message: `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${JSON.stringify(valueAt(json, issue.path))}` };
    default:
      return { file, path: at, message: issue.message };
  }
}

/** True when the nearest step around a JSON path is a desktop step (its targets hold desktop candidates). */
function isDesktopPath(json: unknown, segments: readonly PropertyKey[]): boolean {
  for (let end = segments.length; end >= 0; end--) {
    const kind = (valueAt(json, segments.slice(0, end)) as { kind?: unknown } | undefined)?.kind;
    if (typeof kind === 'string') return kind.startsWith('desktop.');
  }
  return false;
}

function describeUnion(issue: z.core.$ZodIssue, value: unknown, desktop = false): string {
  // Locators and conditions are unions of one-key objects; name the keys that are allowed.
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const detail = issue.message && issue.message !== 'Invalid input' ? ` (${issue.message})` : '';
    if (desktop) return `${JSON.stringify(keys)} is not a valid combination of fields here${detail}; a desktop candidate is one of {image, confidence?, scales?, at?, nth?}, {text, exact?, confidence?}, {label, side, distance}, {area: {color, rect}, at}, {a11y}, {offset: {x, y}}`;
    return `${JSON.stringify(keys)} is not a valid combination of fields here${detail}; a locator is one of {role, name?}, {label}, {testId}, {placeholder}, {text}, {title}, {css}, {xpath}`;
  }
  return `unexpected value ${JSON.stringify(value)}`;
}

const NESTED_STEP_FIELDS = ['then', 'else', 'steps', 'catch', 'finally'] as const;

/** Levels of steps inside flow.if / flow.forEach / flow.try (top-level steps are level 1). */
export const MAX_STEP_DEPTH = 64;
/** Levels of arrays and objects anywhere in the document (a value, a condition, the steps). */
export const MAX_JSON_DEPTH = 512;

/**
 * The first place the document is nested too deep, or undefined. Iterative (an explicit stack),
 * so it cannot itself run out of stack whatever the input.
 */
export function checkNesting(json: unknown): { path: string; message: string } | undefined {
  interface Node {
    value: unknown;
    parent: Node | undefined;
    key: PropertyKey | undefined;
    depth: number;
    /** Step level when this node is a step; 0 otherwise. */
    stepLevel: number;
    /** This node is a list of steps at this level (0: not a step list). */
    listLevel: number;
  }
  const pathOf = (node: Node): string => {
    const segments: PropertyKey[] = [];
    for (let at: Node | undefined = node; at?.key !== undefined; at = at.parent) segments.push(at.key);
    return formatJsonPath(segments.reverse());
  };
  const root: Node = { value: json, parent: undefined, key: undefined, depth: 1, stepLevel: 0, listLevel: 0 };
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const { value } = node;
    if (value === null || typeof value !== 'object') continue;
    if (node.stepLevel > MAX_STEP_DEPTH) {
      return {
        path: pathOf(node),
        message: `this step is nested ${node.stepLevel} levels deep (flow.if / flow.forEach / flow.try inside each other); at most ${MAX_STEP_DEPTH} levels are allowed. Flatten the conditions, or move the inner steps into their own automation and run it with flow.call`,
      };
    }
    if (node.depth > MAX_JSON_DEPTH) {
      return { path: pathOf(node), message: `nested more than ${MAX_JSON_DEPTH} levels deep (arrays and objects inside each other); no automation needs that many: flatten this value` };
    }
    const isRoot = node === root;
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
    // Pushed in reverse so the first problem in document order is found first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      let stepLevel = 0;
      let listLevel = 0;
      if (node.listLevel > 0) stepLevel = node.listLevel;
      else if ((isRoot && key === 'steps') || (node.stepLevel > 0 && (NESTED_STEP_FIELDS as readonly PropertyKey[]).includes(key))) listLevel = node.stepLevel + 1;
      stack.push({ value: child, parent: node, key, depth: node.depth + 1, stepLevel, listLevel });
    }
  }
  return undefined;
}

/** Template references, declared inputs/secrets, variables set before use, called automations. */
function checkSemantics(automation: LoadedAutomation, loaded: Map<string, LoadedAutomation>, stack: string[]): ValidationIssue[] {
  const { doc, displayFile } = automation;
  const issues: ValidationIssue[] = [];
  const inputs = new Set((doc.inputs ?? []).map((input) => input.name));
  const secrets = new Set(doc.secrets ?? []);
  const defined = new Set<string>();

  const checkValue = (value: unknown, at: string): void => {
    for (const reference of findReferences(value)) {
      if ('error' in reference) issues.push({ file: displayFile, path: at, message: reference.error });
      else if (reference.root === 'inputs' && !inputs.has(reference.name)) {
        issues.push({ file: displayFile, path: at, message: `{{${reference.expression}}} refers to input "${reference.name}", which is not declared in "inputs"` });
      } else if (reference.root === 'secrets' && !secrets.has(reference.name)) {
        issues.push({ file: displayFile, path: at, message: `{{${reference.expression}}} refers to secret "${reference.name}", which is not declared in "secrets"` });
      } else if (reference.root === 'vars' && !defined.has(reference.name)) {
        issues.push({ file: displayFile, path: at, message: `{{${reference.expression}}} refers to variable "${reference.name}", which no earlier step sets` });
      } else if (reference.root === 'run' && !['id', 'startedAt', 'dir', 'automationDir'].includes(reference.name)) {
        issues.push({ file: displayFile, path: at, message: `{{${reference.expression}}}: run has id, startedAt, dir and automationDir` });
      }
    }
  };

  const walk = (steps: Step[], prefix: string): void => {
    steps.forEach((step, index) => {
      const at = `${prefix}[${index}]`;
      const own = Object.fromEntries(Object.entries(step).filter(([key]) => !(NESTED_STEP_FIELDS as readonly string[]).includes(key) || step.kind === 'flow.call'));
      checkValue(own, at);
      switch (step.kind) {
        case 'flow.set':
          defined.add(step.var);
          break;
        case 'browser.extract':
        case 'read.document':
        case 'read.screen':
        case 'ai.classify':
        case 'ai.ask':
        case 'human.review':
          defined.add(step.into);
          break;
        case 'ai.extract':
          defined.add(step.into);
          if (step.detailsInto) defined.add(step.detailsInto);
          break;
        case 'browser.dialog':
          if (step.saveMessageAs) defined.add(step.saveMessageAs);
          break;
        case 'file.list':
          defined.add(step.into);
          break;
        case 'queue.add':
          if (step.into) defined.add(step.into);
          break;
        case 'desktop.launch':
          if (step.into) defined.add(step.into);
          break;
        case 'desktop.read':
        case 'clipboard.get':
          defined.add(step.into);
          break;
        case 'desktop.click':
        case 'desktop.doubleClick':
        case 'desktop.rightClick':
        case 'desktop.waitFor':
          issues.push(...checkImages(automation, step.target, `${at}.target`));
          break;
        case 'desktop.drag':
          issues.push(...checkImages(automation, step.from, `${at}.from`), ...checkImages(automation, step.to, `${at}.to`));
          break;
        case 'flow.if':
          walk(step.then, `${at}.then`);
          if (step.else) walk(step.else, `${at}.else`);
          break;
        case 'flow.forEach':
          defined.add(step.as);
          if (step.indexAs) defined.add(step.indexAs);
          walk(step.steps, `${at}.steps`);
          break;
        case 'flow.try':
          walk(step.steps, `${at}.steps`);
          if (step.errorAs) defined.add(step.errorAs);
          else defined.add('error');
          if (step.catch) walk(step.catch, `${at}.catch`);
          if (step.finally) walk(step.finally, `${at}.finally`);
          break;
        case 'flow.call':
          issues.push(...checkCall(automation, step, at, loaded, stack));
          if (step.into) defined.add(step.into);
          break;
        default:
          break;
      }
    });
  };
  walk(doc.steps, 'steps');

  for (const [index, output] of (doc.outputs ?? []).entries()) {
    if (!defined.has(output)) issues.push({ file: displayFile, path: `outputs[${index}]`, message: `output "${output}" is not a variable any step sets` });
  }
  for (const [index, input] of (doc.inputs ?? []).entries()) {
    if (input.required && input.default !== undefined) {
      issues.push({ file: displayFile, path: `inputs[${index}]`, message: `input "${input.name}" is required and has a default; keep one of the two` });
    }
  }
  return issues;
}

/** Image targets must exist before the run starts: a missing template would only fail mid-run. */
function checkImages(automation: LoadedAutomation, target: DesktopTarget, at: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  target.candidates.forEach((candidate, index) => {
    if (!('image' in candidate) || candidate.image.includes('{{')) return;
    const file = path.resolve(automation.dir, candidate.image);
    if (!existsSync(file)) issues.push({ file: automation.displayFile, path: `${at}.candidates[${index}].image`, message: `image file not found: ${file}` });
  });
  return issues;
}

function checkCall(
  parent: LoadedAutomation,
  step: Extract<Step, { kind: 'flow.call' }>,
  at: string,
  loaded: Map<string, LoadedAutomation>,
  stack: string[],
): ValidationIssue[] {
  const childFile = path.resolve(parent.dir, step.automation);
  if (stack.includes(childFile)) {
    return [{ file: parent.displayFile, path: `${at}.automation`, message: `calls ${step.automation}, which is already being called (a cycle: ${[...stack, childFile].map((f) => path.basename(f)).join(' → ')})` }];
  }
  let child = loaded.get(childFile);
  if (!child) {
    const display = path.join(path.dirname(parent.displayFile), step.automation);
    const result = loadInto(childFile, display, loaded, stack);
    if (!result.automation) {
      return result.issues.map((issue) =>
        issue.file === display && issue.path === '' ? { file: parent.displayFile, path: `${at}.automation`, message: `${step.automation}: ${issue.message}` } : issue,
      );
    }
    if (result.issues.length) return result.issues;
    child = result.automation;
  }
  parent.called.set(childFile, child);
  const issues: ValidationIssue[] = [];
  const declared = new Map((child.doc.inputs ?? []).map((input) => [input.name, input]));
  for (const name of Object.keys(step.inputs ?? {})) {
    if (!declared.has(name)) {
      issues.push({ file: parent.displayFile, path: `${at}.inputs.${name}`, message: `${step.automation} has no input "${name}" (it declares: ${[...declared.keys()].join(', ') || 'none'})` });
    }
  }
  for (const input of declared.values()) {
    if (input.required && !(input.name in (step.inputs ?? {}))) {
      issues.push({ file: parent.displayFile, path: `${at}.inputs`, message: `${step.automation} requires input "${input.name}"` });
    }
  }
  return issues;
}

/** All secret names needed by an automation and everything it calls. */
export function requiredSecrets(automation: LoadedAutomation, seen = new Set<string>()): Set<string> {
  const names = new Set(automation.doc.secrets ?? []);
  seen.add(automation.file);
  for (const child of automation.called.values()) {
    if (!seen.has(child.file)) for (const name of requiredSecrets(child, seen)) names.add(name);
  }
  return names;
}
