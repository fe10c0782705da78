// The one-line label of a step shown in progress lines and reports.
import type { Step } from '../format/schema.js';
import { describeTarget } from './locate.js';
import { describeDesktopTarget } from '../desktop/describe.js';

function short(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function describeStep(step: Step): string {
  if (step.name) return step.name;
  switch (step.kind) {
    case 'browser.open':
      return step.url ? `open ${short(step.url)}` : 'open browser';
    case 'browser.goto':
      return `go to ${short(step.url)}`;
    case 'browser.fill':
    case 'browser.click':
    case 'browser.select':
    case 'browser.check':
    case 'browser.upload':
    case 'browser.extract':
      return `${step.kind.slice(8)} ${short(describeTarget(step.target))}`;
    case 'browser.press':
      return `press ${step.key}`;
    case 'browser.type':
      return `type "${short(step.text, 40)}"${step.target ? ` into ${short(describeTarget(step.target), 40)}` : ''}`;
    case 'browser.waitFor':
      return step.target ? `wait for ${short(describeTarget(step.target))}` : `wait for ${step.urlContains ?? step.loadState ?? ''}`;
    case 'browser.assert':
      return `assert ${step.assert}${step.expected ? ` "${short(step.expected, 40)}"` : ''}`;
    case 'browser.screenshot':
      return 'screenshot';
    case 'browser.dialog':
      if (step.whenever) return step.wait ? `wait for the page's own dialog (${step.action}ed whenever it opens)` : `${step.action} the page's own dialog whenever it opens`;
      return step.wait ? `wait for a dialog and ${step.action} it` : `${step.action} next dialog`;
    case 'browser.hover':
      return `hover ${short(describeTarget(step.target))}`;
    case 'browser.dragTo':
      return `drag ${short(describeTarget(step.target), 30)} to ${short(describeTarget(step.to), 30)}`;
    case 'browser.switchTab':
      return `switch tab${step.urlContains ? ` to ${step.urlContains}` : ''}`;
    case 'desktop.launch':
      return `launch ${short(step.program)}`;
    case 'desktop.focusWindow':
      return step.title !== undefined ? `focus window "${short(step.title, 40)}"` : `focus window of ${step.process}`;
    case 'desktop.click':
      return `click ${short(describeDesktopTarget(step.target))}`;
    case 'desktop.doubleClick':
      return `double-click ${short(describeDesktopTarget(step.target))}`;
    case 'desktop.rightClick':
      return `right-click ${short(describeDesktopTarget(step.target))}`;
    case 'desktop.type':
      return `type "${short(step.text, 40)}"`;
    case 'desktop.press':
      return `press ${step.keys}`;
    case 'desktop.drag':
      return `drag ${short(describeDesktopTarget(step.from), 30)} to ${short(describeDesktopTarget(step.to), 30)}`;
    case 'desktop.waitFor':
      return `wait until ${short(describeDesktopTarget(step.target))} ${step.state}`;
    case 'desktop.read':
      return step.window ? `read window "${short(step.window, 40)}"` : 'read screen text';
    case 'desktop.screenshot':
      return step.window ? `screenshot of "${short(step.window, 40)}"` : 'screenshot of the screen';
    case 'desktop.assert':
      return step.assert === 'windowOpen'
        ? `check window "${short(step.window!, 40)}" is open`
        : step.assert === 'windowClosed'
          ? `check window "${short(step.window!, 40)}" is closed`
          : step.assert === 'clipboardEquals'
            ? `check the clipboard holds "${short(step.expected!, 40)}"`
            : `check ${step.window ? `window "${short(step.window, 30)}"` : 'the screen'} shows "${short(step.expected!, 40)}"`;
    case 'clipboard.get':
      return 'read clipboard';
    case 'clipboard.set':
      return 'set clipboard';
    case 'read.document':
      return `read ${short(step.file)}`;
    case 'read.screen':
      return step.target ? `read ${short(describeTarget(step.target))}` : 'read screen';
    case 'ai.extract':
      return `extract ${step.fields.map((f) => f.name).join(', ').slice(0, 50)}`;
    case 'ai.classify':
      return `classify as ${step.labels.map((l) => l.name).join(' / ').slice(0, 50)}`;
    case 'ai.ask':
      return `ask: ${short(step.question)}`;
    case 'human.review':
      return `review: ${short(step.title)}`;
    case 'flow.set':
      return `set ${step.var}`;
    case 'flow.if':
      return 'if';
    case 'flow.forEach':
      return `for each ${step.as}`;
    case 'flow.try':
      return 'try';
    case 'flow.call':
      return `call ${step.automation}`;
    case 'flow.fail':
      return `fail: ${short(step.message)}`;
    case 'file.list':
      return `list ${short(step.folder)}`;
    case 'file.writeCsv':
      return `write ${short(step.file)}`;
    case 'queue.add':
      return `add to queue ${step.queue}`;
    case 'log':
      return `log: ${short(step.message)}`;
  }
}
