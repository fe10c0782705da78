// Helpers over an automation document being edited: step labels, new-step skeletons, and
// which step a validation issue points at.
import { STEP_KINDS } from '../../../engine/format/schema.js';

export type StepDoc = Record<string, unknown> & { kind: string };
export interface AutomationDoc extends Record<string, unknown> {
  steps: StepDoc[];
  inputs?: Array<Record<string, unknown>>;
}

export const PALETTE: readonly string[] = STEP_KINDS;

const target = (): Record<string, unknown> => ({ description: 'new target', candidates: [{ css: 'CHANGE-ME' }] });

/** A new step of a kind with its required fields filled by placeholders to edit. */
export function skeleton(kind: string): StepDoc {
  switch (kind) {
    case 'browser.open':
      return { kind, url: 'https://example.invalid' };
    case 'browser.goto':
      return { kind, url: '{{inputs.baseUrl}}/' };
    case 'browser.fill':
      return { kind, target: target(), value: '' };
    case 'browser.select':
      return { kind, target: target(), label: '' };
    case 'browser.click':
    case 'browser.check':
    case 'browser.hover':
      return { kind, target: target() };
    case 'browser.press':
      return { kind, key: 'Enter' };
    case 'browser.type':
      return { kind, target: target(), text: '' };
    case 'browser.extract':
      return { kind, target: target(), what: 'text', into: 'value' };
    case 'browser.assert':
      return { kind, target: target(), assert: 'visible' };
    case 'browser.waitFor':
      return { kind, loadState: 'load' };
    case 'flow.set':
      return { kind, var: 'name', value: '' };
    case 'log':
      return { kind, message: 'message' };
    case 'flow.fail':
      return { kind, message: 'why' };
    case 'flow.if':
      return { kind, condition: { left: '', op: 'isEmpty' }, then: [] };
    default:
      return { kind };
  }
}

export function describeStep(step: StepDoc): string {
  if (typeof step.name === 'string' && step.name) return step.name;
  const t = step.target as { description?: string; candidates?: Array<Record<string, unknown>> } | undefined;
  const what = t?.description ?? (t?.candidates?.[0] ? Object.values(t.candidates[0]).join(' ') : undefined);
  const detail = what ?? (step.url as string | undefined) ?? (step.message as string | undefined) ?? (step.var as string | undefined) ?? '';
  return `${step.kind.replace(/^browser\./, '')} ${detail}`.trim();
}

/** Index of the top-level step an issue path like `steps[3].target` points at. */
export function stepIndexOf(issuePath: string): number | undefined {
  const match = /^steps\[(\d+)\]/.exec(issuePath);
  return match ? Number(match[1]) : undefined;
}

export function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}
