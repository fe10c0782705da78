// Turns what the page-side recorder reports into automation steps: coalesces typing into one
// fill per field, merges double clicks, places dialog answers before the action that opened
// them (named by the page, see addDialog), switches tabs when the person moves to another one, and declares the secrets,
// inputs and outputs the steps refer to. No browser here: api.ts feeds it.
import { Automation, FORMAT_VERSION, type InputDecl, type Step, type Target } from '../engine/format/schema.js';
import type { PageEvent, WireTarget } from './common/wire.js';
import { describeRecordedStep } from './describe.js';
import { tabUrlCriteria, urlParts } from './tab-url.js';

/** A tab as the builder sees it: a stable key and its current URL. */
export interface TabRef {
  key: number;
  url: string;
}

export type RecordedAction = Exclude<PageEvent, { type: 'hello' | 'control' | 'mode' | 'dialogAnswer' | 'dialog' | 'asking' | 'navigating' }>;

/** A dialog the page showed and how it was answered while recording. */
export interface RecordedDialog {
  /** alert, confirm or prompt (see DialogType); a dialog from a document without the page-side recorder says its own. */
  type: string;
  message: string;
  action: 'accept' | 'dismiss';
  promptText?: string;
}

/** Where addDialog put a dialog: before the action that opened it, or (no action opened it) as the page's own. */
export interface DialogPlacement {
  step: Step;
  /**
   * Set when no action of the person's opened it (the page's own timer or worker, or a document
   * the recorder does not run in): it is answered whenever it opens, and the replay waits for it
   * after the step named here, in words.
   */
  unprompted?: string;
}

interface Entry {
  step: Step;
  tab: number;
  /** tab|frame|element: the element a step acted on, to merge repeated fills and double clicks. */
  element?: string;
  /** When the person did it (ms since the epoch, the page's clock when it sent it): places dialogs no action claims. */
  at?: number;
  /** The gestures (ActionStamp.actionId) this step records: a dialog one of them opened is armed before it. */
  actions?: string[];
  /** browser.type: the keys typed so far, before literal() (typing goes on into the same step). */
  typed?: string;
  /** browser.type: the input holding the text when it contains "{{". */
  typedInput?: string;
}

/**
 * For a dialog a timer of a gesture opened (AddDialog `later`): one that opens within this long
 * of the gesture's step is armed before that step; one that comes later is placed after it and
 * waited for.
 */
export const ASYNC_DIALOG_MS = 400;

export interface BuilderOptions {
  id: string;
  name: string;
  /** The tab the browser opened with, and the URL it was sent to (if any). */
  firstTab: TabRef;
  startUrl?: string;
}

export class StepBuilder {
  private readonly entries: Entry[] = [];
  private readonly secrets = new Set<string>();
  private readonly inputs: InputDecl[] = [];
  private readonly outputs: string[] = [];
  private readonly warnings: string[] = [];
  /** What the person should check in the recording (a dialog placed by time). */
  private readonly checks: string[] = [];
  private currentTab: number;

  constructor(private readonly options: BuilderOptions) {
    this.currentTab = options.firstTab.key;
    this.entries.push({ step: { kind: 'browser.open', ...(options.startUrl ? { url: options.startUrl } : {}) }, tab: options.firstTab.key });
  }

  get length(): number {
    return this.entries.length;
  }

  steps(): Step[] {
    return this.entries.map((e) => structuredClone(e.step));
  }

  /** Position of a step this builder returned from addAction/addGoto/addDialog. */
  indexOf(step: Step): number {
    return this.entries.findIndex((e) => e.step === step);
  }

  /** Records an action done in `tab` (inside the iframes `frame`, outermost first). Returns the steps it added or changed. */
  addAction(tab: TabRef, openTabs: readonly TabRef[], frame: readonly string[], action: RecordedAction, at?: number): Step[] {
    const changed: Step[] = [];
    this.switchIfNeeded(tab, openTabs, changed);
    const key = (target: WireTarget): string => `${tab.key}|${frame.join('>')}|${target.elementId}`;
    const target = (t: WireTarget): Target => toTarget(t, frame);
    const last = this.entries.at(-1);
    const actionId = action.actionId;
    const push = (step: Step, element?: string): void => {
      this.entries.push({ step, tab: tab.key, ...(element ? { element } : {}), ...(at !== undefined ? { at } : {}), ...(actionId ? { actions: [actionId] } : {}) });
      changed.push(step);
    };
    // A step that takes in a later gesture (a double click, typing on) is what that gesture did too.
    const merged = (entry: Entry): void => {
      if (actionId && !entry.actions?.includes(actionId)) entry.actions = [...(entry.actions ?? []), actionId];
      changed.push(entry.step);
    };
    switch (action.type) {
      case 'click': {
        const element = key(action.target);
        if (action.clickCount === 2 && last?.element === element && last.step.kind === 'browser.click' && (last.step.clickCount ?? 1) === 1) {
          last.step.clickCount = 2;
          merged(last);
          break;
        }
        if (action.hover) {
          const hoverKey = key(action.hover);
          if (!(last?.element === hoverKey && last.step.kind === 'browser.hover')) push({ kind: 'browser.hover', target: target(action.hover) }, hoverKey);
        }
        push(
          {
            kind: 'browser.click',
            target: target(action.target),
            ...(action.button !== 'left' ? { button: action.button } : {}),
            ...(action.clickCount > 1 ? { clickCount: action.clickCount } : {}),
            ...(action.modifiers.length ? { modifiers: action.modifiers } : {}),
          },
          element,
        );
        break;
      }
      case 'fill': {
        const element = key(action.target);
        let value: string;
        if (action.secret !== undefined) {
          this.secrets.add(action.secret);
          value = `{{secrets.${action.secret}}}`;
        } else {
          value = this.literal(action.value ?? '');
        }
        if (last?.element === element && last.step.kind === 'browser.fill') {
          last.step.value = value;
          merged(last);
        } else {
          push({ kind: 'browser.fill', target: target(action.target), value }, element);
        }
        break;
      }
      case 'press': {
        const element = action.target ? key(action.target) : undefined;
        // Backspace right after typing into the same editor takes back the last key typed.
        if (action.key === 'Backspace' && element && last?.element === element && last.step.kind === 'browser.type' && last.typed) {
          const kept = Array.from(last.typed).slice(0, -1).join('');
          if (kept) {
            this.setTyped(last, kept);
            merged(last);
          } else {
            this.setTyped(last, '');
            this.entries.pop();
          }
          break;
        }
        push({ kind: 'browser.press', key: action.key, ...(action.target ? { target: target(action.target) } : {}) }, element);
        break;
      }
      case 'type': {
        const element = key(action.target);
        if (last?.element === element && last.step.kind === 'browser.type' && last.typed !== undefined) {
          this.setTyped(last, last.typed + action.text);
          merged(last);
        } else {
          push({ kind: 'browser.type', target: target(action.target), text: '' }, element);
          this.setTyped(this.entries.at(-1)!, action.text);
        }
        break;
      }
      case 'select':
        push(
          { kind: 'browser.select', target: target(action.target), ...(action.label !== undefined ? { label: this.literal(action.label) } : { value: this.literal(action.value ?? '') }) },
          key(action.target),
        );
        break;
      case 'check':
        push({ kind: 'browser.check', target: target(action.target), checked: action.checked }, key(action.target));
        break;
      case 'upload': {
        const files = action.fileNames.map((fileName, i) => {
          const name = this.uniqueInput(action.fileNames.length > 1 ? `${action.field}${i + 1}` : action.field);
          this.inputs.push({ name, type: 'file', default: fileName, description: `File to upload (chosen while recording: ${fileName}); a path, relative to this automation file` });
          return `{{inputs.${name}}}`;
        });
        push({ kind: 'browser.upload', target: target(action.target), files }, key(action.target));
        break;
      }
      case 'dragTo':
        push({ kind: 'browser.dragTo', target: target(action.target), to: target(action.to) }, key(action.target));
        break;
      case 'assert':
        push({
          kind: 'browser.assert',
          target: target(action.target),
          assert: action.assert,
          ...(action.expected !== undefined ? { expected: this.literal(action.expected) } : {}),
        });
        break;
      case 'extract': {
        const into = this.uniqueOutput(action.suggestedName);
        push({ kind: 'browser.extract', target: target(action.target), what: action.what, into });
        break;
      }
      case 'waitFor':
        push({ kind: 'browser.waitFor', target: target(action.target), state: 'visible' });
        break;
    }
    return changed;
  }

  /**
   * A navigation the person typed (address bar), not one a click caused. `previousUrl`: where
   * the tab was before. When the step before it was an action (a click or Enter that may have
   * navigated), replay first waits to arrive there: a goto must not cut that navigation short.
   */
  addGoto(tab: TabRef, openTabs: readonly TabRef[], url: string, previousUrl?: string): Step[] {
    const changed: Step[] = [];
    this.switchIfNeeded(tab, openTabs, changed);
    const last = this.entries.at(-1)!;
    if (last.tab === tab.key && (last.step.kind === 'browser.goto' || (last.step.kind === 'browser.open' && !last.step.url))) {
      last.step.url = this.literal(url);
      return [last.step];
    }
    const arrived = previousUrl && previousUrl !== 'about:blank' && 'target' in last.step ? urlParts(previousUrl)[0] : undefined;
    if (arrived) {
      const wait: Step = { kind: 'browser.waitFor', urlContains: this.literal(arrived) };
      this.entries.push({ step: wait, tab: tab.key });
      changed.push(wait);
    }
    const step: Step = { kind: 'browser.goto', url: this.literal(url) };
    this.entries.push({ step, tab: tab.key });
    return [...changed, step];
  }

  /**
   * An alert/confirm/prompt opened in `tab` and was answered. `actionId`: the gesture the page
   * was handling when it asked (ActionStamp): the dialog is armed before the last step that
   * gesture recorded so far (the click, not the fill its press flushed), after the dialogs it
   * opened before (a prompt's follow-ups), however long the page took; if no step of it is in
   * yet, the dialog goes last and the gesture's steps will follow it. `later`: a timer the
   * gesture started asked (a task after the gesture's events): within ASYNC_DIALOG_MS of that
   * gesture's step (`at`, on the page's clock) it is armed before it; later, it is placed after
   * what was done in the tab meanwhile as a step that waits for the dialog, so the replay does
   * not go on (or end) before it. Without an action it is the page's own: addUnprompted.
   */
  addDialog(tab: TabRef, dialog: RecordedDialog, placement: { actionId?: string; at?: number; later?: boolean } = {}): DialogPlacement {
    const step: Step = {
      kind: 'browser.dialog',
      action: dialog.action,
      ...(dialog.promptText !== undefined ? { promptText: this.literal(dialog.promptText) } : {}),
      ...(dialog.message ? { expectMessage: this.literal(dialog.message.slice(0, 200)) } : {}),
    };
    const { actionId, at, later } = placement;
    const entry: Entry = { step, tab: tab.key, ...(at !== undefined ? { at } : {}) };
    if (actionId && later) {
      const opener = this.entries.findLastIndex((e) => e.step.kind !== 'browser.dialog' && e.actions?.includes(actionId));
      const openerAt = opener < 0 ? undefined : this.entries[opener]!.at;
      // Soon after its gesture's step: armed before it, as for the gesture's own dialogs.
      if (opener >= 0 && (at === undefined || openerAt === undefined || at - openerAt <= ASYNC_DIALOG_MS)) {
        this.entries.splice(opener, 0, entry);
        return { step };
      }
      // Later: after what was done in the tab meanwhile, waiting for it (the timer may outlast the next step).
      if (step.kind === 'browser.dialog') step.wait = true;
      let last = this.entries.length - 1;
      while (last > 0 && (this.entries[last]!.tab !== tab.key || this.entries[last]!.step.kind === 'browser.dialog' || this.entries[last]!.step.kind === 'log')) last--;
      let after = Math.max(last + 1, opener + 1);
      while (after < this.entries.length && this.entries[after]!.tab === tab.key && this.entries[after]!.step.kind === 'browser.dialog') after++;
      this.entries.splice(after, 0, entry);
      return { step };
    }
    if (actionId) {
      const opener = this.entries.findLastIndex((e) => e.step.kind !== 'browser.dialog' && e.actions?.includes(actionId));
      if (opener < 0) this.entries.push(entry);
      else this.entries.splice(opener, 0, entry);
      return { step };
    }
    return this.addUnprompted(tab, step, entry);
  }

  /**
   * A dialog no action of the person's opened: the page's own (a timer or a worker it started,
   * a message from a window whose posting no recorder saw). Where it opens in a replay depends
   * on the page's clock, not on a step, so it must not be armed before an action it has nothing
   * to do with. It gets a standing answer right after the recording's first step (answered
   * whenever it opens, in any tab; one per answer) and, where it opened while recording (after
   * the tab's last action then), a step that waits until it has opened, so the replay does not
   * go on, or end, without it.
   */
  private addUnprompted(tab: TabRef, step: Step, entry: Entry): DialogPlacement {
    if (step.kind !== 'browser.dialog') return { step };
    const standing: Step = { ...step, whenever: true };
    const same = (e: Entry): boolean =>
      e.step.kind === 'browser.dialog' && e.step.whenever === true && !e.step.wait && e.step.action === step.action && e.step.promptText === step.promptText && e.step.expectMessage === step.expectMessage;
    if (!this.entries.some(same)) {
      let at = 1;
      while (at < this.entries.length && this.entries[at]!.step.kind === 'browser.dialog' && (this.entries[at]!.step as { whenever?: boolean }).whenever && !(this.entries[at]!.step as { wait?: boolean }).wait) at++;
      this.entries.splice(at, 0, { step: standing, tab: this.entries[0]!.tab });
    }
    step.whenever = true;
    step.wait = true;
    let action = -1;
    for (let i = this.entries.length - 1; i > 0; i--) {
      const e = this.entries[i]!;
      if (e.tab === tab.key && e.step.kind !== 'browser.dialog' && e.step.kind !== 'log') {
        action = i;
        break;
      }
    }
    let after = action < 0 ? this.entries.length : action + 1;
    while (after < this.entries.length && this.entries[after]!.tab === tab.key && this.entries[after]!.step.kind === 'browser.dialog') after++;
    this.entries.splice(after, 0, entry);
    return { step, unprompted: action < 0 ? 'as the page loaded' : `after ${describeRecordedStep(this.entries[action]!.step)}` };
  }

  /** Something the recorder could not record: a warning step where it happened, and a line of the description. */
  addWarning(tab: TabRef, message: string): Step[] {
    const step: Step = { kind: 'log', level: 'warn', message: this.literal(`Not recorded: ${message}`) };
    this.entries.push({ step, tab: tab.key });
    this.warnings.push(message);
    return [step];
  }

  /** Something recorded that the person should check: a line of the description (no step). */
  addCheckNote(message: string): void {
    this.checks.push(message);
  }

  toAutomation(): Automation {
    const doc = {
      format: FORMAT_VERSION,
      id: this.options.id,
      name: this.options.name,
      version: '1.0.0',
      description: `Recorded with rpa record on ${new Date().toISOString().slice(0, 10)}.${this.warnings.map((w) => ` Not recorded: ${w}`).join('')}${this.checks.map((c) => ` Check: ${c}`).join('')}`,
      ...(this.inputs.length ? { inputs: this.inputs.map((i) => ({ ...i })) } : {}),
      ...(this.secrets.size ? { secrets: [...this.secrets] } : {}),
      ...(this.outputs.length ? { outputs: [...this.outputs] } : {}),
      steps: this.steps(),
    };
    return Automation.parse(doc);
  }

  private switchIfNeeded(tab: TabRef, openTabs: readonly TabRef[], changed: Step[]): void {
    if (tab.key === this.currentTab) return;
    this.currentTab = tab.key;
    const step: Step = { kind: 'browser.switchTab', ...tabUrlCriteria(tab, openTabs) };
    this.entries.push({ step, tab: tab.key });
    changed.push(step);
  }

  /**
   * Recorded text is literal, but "{{…}}" in a step is a template reference and the format has
   * no escape for it: such text becomes the default of a declared string input instead.
   */
  private literal(text: string): string {
    if (!/\{\{[^{}]*\}\}/.test(text)) return text;
    const name = this.uniqueInput('typedText');
    this.inputs.push({ name, type: 'string', default: text, description: 'Text recorded literally (it contains "{{")' });
    return `{{inputs.${name}}}`;
  }

  /** Sets a browser.type step's text: literal, or kept in its own input when it contains "{{". */
  private setTyped(entry: Entry, text: string): void {
    if (entry.step.kind !== 'browser.type') return;
    entry.typed = text;
    const templated = /\{\{[^{}]*\}\}/.test(text);
    if (templated) {
      if (!entry.typedInput) {
        entry.typedInput = this.uniqueInput('typedText');
        this.inputs.push({ name: entry.typedInput, type: 'string', default: text, description: 'Text recorded literally (it contains "{{")' });
      }
      const input = this.inputs.find((i) => i.name === entry.typedInput)!;
      input.default = text;
      entry.step.text = `{{inputs.${entry.typedInput}}}`;
      return;
    }
    if (entry.typedInput) {
      const at = this.inputs.findIndex((i) => i.name === entry.typedInput);
      if (at >= 0) this.inputs.splice(at, 1);
      entry.typedInput = undefined;
    }
    entry.step.text = text;
  }

  private uniqueInput(base: string): string {
    let name = base;
    for (let n = 2; this.inputs.some((i) => i.name === name); n++) name = `${base}${n}`;
    return name;
  }

  private uniqueOutput(base: string): string {
    let name = base;
    for (let n = 2; this.outputs.includes(name); n++) name = `${base}${n}`;
    this.outputs.push(name);
    return name;
  }
}

function toTarget(wire: WireTarget, frame: readonly string[]): Target {
  return {
    candidates: wire.candidates.map((c) => ({ ...c })),
    ...(frame.length ? { frame: [...frame] } : {}),
    description: wire.description,
    fingerprint: structuredClone(wire.fingerprint),
  };
}
