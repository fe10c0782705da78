// Evaluates a flow.if condition.
import type { Condition, Target } from '../../format/schema.js';
import { candidateLocators } from '../../runner/locate.js';
import type { StepContext } from '../../runner/step-context.js';
import { abortableSleep } from '../../runner/timing.js';

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function asNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(String(value).replace(/[, ]/g, ''));
}

export async function evaluateCondition(condition: Condition, ctx: StepContext): Promise<boolean> {
  if ('visible' in condition) {
    const page = ctx.browser().page;
    const deadline = Date.now() + (condition.waitMs ?? 0);
    for (;;) {
      for (const locator of candidateLocators(page, ctx.render(condition.visible) as Target)) {
        if ((await locator.count()) > 0 && (await locator.first().isVisible())) return true;
      }
      if (Date.now() >= deadline) return false;
      await abortableSleep(100, ctx.signal);
    }
  }
  const left = ctx.render(condition.left);
  const right = ctx.render(condition.right);
  switch (condition.op) {
    case 'equals':
      return String(left) === String(right);
    case 'notEquals':
      return String(left) !== String(right);
    case 'contains':
      return Array.isArray(left) ? left.map(String).includes(String(right)) : String(left).includes(String(right));
    case 'notContains':
      return Array.isArray(left) ? !left.map(String).includes(String(right)) : !String(left).includes(String(right));
    case 'matches':
      return new RegExp(String(right)).test(String(left));
    case 'greaterThan':
      return asNumber(left) > asNumber(right);
    case 'lessThan':
      return asNumber(left) < asNumber(right);
    case 'isEmpty':
      return isEmpty(left);
    case 'isNotEmpty':
      return !isEmpty(left);
  }
}
