// One line per recorded step, for the toolbar's "last:" and `rpa record`'s progress.
import type { Step } from '../engine/format/schema.js';

export function describeRecordedStep(step: Step): string {
  const target = 'target' in step && step.target ? ` ${step.target.description ?? JSON.stringify(step.target.candidates[0])}` : '';
  switch (step.kind) {
    case 'browser.open':
      return `open ${step.url ?? 'browser'}`;
    case 'browser.goto':
      return `go to ${step.url}`;
    case 'browser.fill':
      return `fill${target} = ${step.value.startsWith('{{secrets.') ? step.value : JSON.stringify(step.value.length > 40 ? `${step.value.slice(0, 39)}…` : step.value)}`;
    case 'browser.click':
      return `${step.button === 'right' ? 'right-click' : step.clickCount === 2 ? 'double-click' : 'click'}${target}`;
    case 'browser.select':
      return `select ${JSON.stringify(step.label ?? step.value)} in${target}`;
    case 'browser.check':
      return `${step.checked ? 'check' : 'uncheck'}${target}`;
    case 'browser.press':
      return `press ${step.key}${target ? ` in${target}` : ''}`;
    case 'browser.type':
      return `type ${JSON.stringify(step.text.length > 40 ? `${step.text.slice(0, 39)}…` : step.text)}${target ? ` into${target}` : ''}`;
    case 'browser.upload':
      return `upload ${step.files.join(', ')} to${target}`;
    case 'browser.dialog':
      if (step.whenever) return `${step.wait ? 'wait for' : `${step.action}${step.promptText !== undefined ? ` (answering ${JSON.stringify(step.promptText)})` : ''}`} the page's own dialog${step.expectMessage ? ` ${JSON.stringify(step.expectMessage)}` : ''}${step.wait ? '' : ' whenever it opens'}`;
      return `${step.wait ? `wait for a dialog${step.expectMessage ? ` (${JSON.stringify(step.expectMessage)})` : ''} and ${step.action} it` : `${step.action} the next dialog`}${step.promptText !== undefined ? ` answering ${JSON.stringify(step.promptText)}` : ''}`;
    case 'browser.switchTab':
      return `switch to tab ${step.urlContains ?? `#${step.index ?? 0}`}`;
    case 'browser.hover':
      return `hover${target}`;
    case 'browser.dragTo':
      return `drag${target} to ${step.to.description ?? 'target'}`;
    case 'browser.assert':
      return `assert ${step.assert}${target}${step.expected !== undefined ? ` ${JSON.stringify(step.expected)}` : ''}`;
    case 'browser.extract':
      return `extract ${step.what} of${target} into ${step.into}`;
    case 'browser.waitFor':
      return `wait for${target}`;
    case 'log':
      return `${step.level === 'warn' ? 'warning: ' : 'log: '}${step.message}`;
    default:
      return step.kind;
  }
}
