// What `rpa validate` can see will not replay, beyond the schema: assertions that can never
// pass or always pass, targets found only by position, upload files that are missing, dialog
// answers that no later step can use. Warnings, not errors: the file is valid and runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LoadedAutomation } from './load.js';
import type { Locator, Step, Target } from './schema.js';

export interface LintWarning {
  /** Step path as the runner numbers it: "3", "4.then.1". */
  path: string;
  message: string;
}

/** Roles whose elements have no value an assertion could read (valueEquals needs a field). */
const VALUELESS_ROLES = new Set(['button', 'link', 'heading', 'img', 'cell', 'columnheader', 'rowheader', 'row', 'listitem', 'list', 'table', 'tab', 'menuitem', 'dialog', 'navigation', 'paragraph', 'alert', 'status']);
const FIELD_TAGS = /^(input|textarea|select)\b/i;

const hasTemplate = (text: string): boolean => /\{\{[^{}]*\}\}/.test(text);
const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** True when the candidate certainly names an element that is not a form field. */
function namesNonField(candidate: Locator): boolean {
  if ('role' in candidate) return VALUELESS_ROLES.has(candidate.role);
  if ('text' in candidate) return true; // getByText never matches an input's value
  if ('css' in candidate) {
    const last = candidate.css.trim().split(/\s+|>|\+|~/).filter(Boolean).at(-1) ?? '';
    return /^[a-z][a-z0-9-]*/i.test(last) && !FIELD_TAGS.test(last) && !/^\[|^\.|^#|^\*/.test(last);
  }
  return false;
}

function children(step: Step): Array<[string, Step[]]> {
  const out: Array<[string, Step[]]> = [];
  for (const [key, value] of Object.entries(step)) {
    if (Array.isArray(value) && value.every((item) => item && typeof item === 'object' && 'kind' in item)) out.push([key, value as Step[]]);
  }
  return out;
}

function targetsOf(step: Step): Target[] {
  const out: Target[] = [];
  const record = step as unknown as Record<string, unknown>;
  for (const key of ['target', 'to']) {
    const value = record[key] as Target | undefined;
    if (value && Array.isArray(value.candidates)) out.push(value);
  }
  return out;
}

export function lintAutomation(automation: LoadedAutomation): LintWarning[] {
  const warnings: LintWarning[] = [];
  /** Whether an earlier step acted in a named window (so keys after it have a window to belong to). */
  let actedInWindow = false;
  const inputDefaults = new Map((automation.doc.inputs ?? []).map((i) => [i.name, i.default]));
  const visit = (steps: Step[], prefix: string, topLevel: boolean): void => {
    steps.forEach((step, index) => {
      const at = prefix ? `${prefix}.${index + 1}` : String(index + 1);
      const warn = (message: string): void => void warnings.push({ path: at, message });
      for (const target of targetsOf(step)) {
        if (target.candidates.length === 1 && /found by position only/.test(target.description ?? '')) {
          warn(`${target.description?.replace(/ \(found by position only.*$/, '') ?? 'the target'} is found by its position only: the recording saw no locator unique to it, and any change to the page can make it act on another element`);
        }
      }
      if (step.kind === 'browser.assert') {
        const expected = step.expected;
        if ((step.assert === 'textContains' || step.assert === 'urlContains' || step.assert === 'titleContains') && expected !== undefined && !hasTemplate(expected) && normalize(expected) === '') {
          warn(`${step.assert} with an empty expected text always passes: it checks nothing`);
        }
        if (step.assert === 'valueEquals' && step.target && step.target.candidates.every(namesNonField)) {
          warn('valueEquals can never pass here: the target is not an <input>, <textarea> or <select> (use textEquals for text on the page)');
        }
      }
      if (step.kind === 'browser.upload') {
        for (const file of step.files) {
          const reference = /^\{\{\s*inputs\.([A-Za-z_]\w*)\s*\}\}$/.exec(file);
          const literal = reference ? inputDefaults.get(reference[1]!) : hasTemplate(file) ? undefined : file;
          if (typeof literal === 'string' && !existsSync(path.resolve(automation.dir, literal))) {
            warn(`the file to upload, ${literal}, is not there (${path.resolve(automation.dir, literal)}); put it beside the automation or pass the input`);
          }
        }
      }
      if (step.kind === 'desktop.focusWindow' || ((step.kind === 'desktop.click' || step.kind === 'desktop.doubleClick' || step.kind === 'desktop.rightClick') && step.target.window)) actedInWindow = true;
      if ((step.kind === 'desktop.type' || step.kind === 'desktop.press') && step.window === undefined && actedInWindow) {
        warn(`${step.kind} names no window its keys are meant for (a recording made before they were kept): they are checked only against the window the run last acted on. Re-record, or add "window" with the title of the window they belong in`);
      }
      if (step.kind === 'browser.dialog' && !step.wait && topLevel && index === steps.length - 1) {
        warn('the answer to a dialog is armed by the last step: no later step can open that dialog (record the step that opens it after this one, or set "wait": true)');
      }
      for (const [key, nested] of children(step)) visit(nested, step.kind === 'flow.forEach' ? `${at}[]` : step.kind === 'flow.try' && key === 'steps' ? `${at}.try` : `${at}.${key}`, false);
    });
  };
  visit(automation.doc.steps, '', true);
  return warnings;
}
