// Turns what the desktop recorder saw (clicks with their captures, key presses) into steps:
// a focusWindow when the window changes, clicks with image → text or label → offset candidates,
// typing coalesced into one desktop.type, other keys and hotkeys as desktop.press.
import { describeSelector, type A11ySelector } from '../../engine/desktop/a11y/match.js';
import type { DesktopCandidate, Step } from '../../engine/format/schema.js';
import { keyMeaning } from './keymap.js';

export interface RecordedClick {
  button: 'left' | 'right';
  /** 2 for the second press of a double click. */
  clicks: number;
  windowTitle: string;
  /** Pointer position relative to the window's top-left corner. */
  offset: { x: number; y: number };
  /** The window's size: recorded positions hold only while it is the same. */
  windowSize?: { width: number; height: number };
  /**
   * Image target file name (relative to the automation), when an unambiguous crop was kept; or a
   * function that saves it under a name made from the step's number (1-based) and returns that.
   */
  image?: string | ((stepNumber: number) => string);
  /** A tight crop of the control's own face around the click (no neighbours), saved the same way. */
  core?: string | ((stepNumber: number) => string);
  /** The word or phrase under the pointer (a button's or list row's face), when OCR found one. */
  text?: string;
  /** The control under the pointer as the accessibility API named it, when that names one only. */
  a11y?: A11ySelector;
  /** The featureless area of one colour around the point (an empty text area), when nothing else tells the place. */
  area?: { color: string; rect: { x: number; y: number; width: number; height: number } };
  /**
   * The clicked control's whole face (an entry's frame), saved the same way as `image`; with
   * `nth` when other controls of the window look the same (its place among them in reading
   * order), and `at`, the face's centre from the window's top-left corner.
   */
  face?: { image: string | ((stepNumber: number) => string); at: { x: number; y: number }; nth?: { index: number; of: number } };
  /** The label beside the clicked control (an entry), when no text was under the pointer. */
  label?: { text: string; side: 'right' | 'below'; distance: { x: number; y: number } };
}

export interface RecordedKey {
  keycode: number;
  shift: boolean;
  ctrl: boolean;
  alt: boolean;
  meta: boolean;
}

export class DesktopStepBuilder {
  readonly steps: Step[] = [];
  private typed = '';
  /** The window the typing so far went to (its title), when the recorder saw it. */
  private typedWindow: string | undefined;
  private focusedTitle: string | undefined;
  /** Secret values to recognise in typing, longest first (a longer one may hold a shorter). */
  private readonly known: Array<{ name: string; value: string }>;
  /** The secret the next typing is (see markSecret). */
  private marked: string | undefined;
  /** Secrets referenced by the steps so far. */
  readonly secretNames = new Set<string>();
  /**
   * Every secret value typed so far, known or marked — kept in memory only, so that what the
   * recorder reads from the screen (OCR texts, labels) never turns one into a target.
   */
  readonly typedSecretValues = new Set<string>();

  constructor(
    private readonly onStep: (step: Step, index: number) => void = () => {},
    secrets: Record<string, string> = {},
  ) {
    this.known = Object.entries(secrets)
      .filter(([, value]) => value.length >= 2)
      .map(([name, value]) => ({ name, value }))
      .sort((a, b) => b.value.length - a.value.length);
  }

  /** The next typing (until a click or a key that is not a character) is the secret `name`: recorded as {{secrets.name}}. */
  markSecret(name: string): void {
    this.flushTyping();
    this.marked = name;
  }

  /** True when the text typed since the last step is, or holds, a secret. */
  get pendingSecret(): boolean {
    return this.typed !== '' && (this.marked !== undefined || this.known.some(({ value }) => this.typed.includes(value)));
  }

  /** True when a text holds a secret typed so far (or one of the known ones), or is part of one (4 characters or more). */
  showsSecret(text: string): boolean {
    // OCR drops spaces and may read a letter's case wrong: compared without either.
    const squashed = text.replace(/\s+/g, '').toLowerCase();
    const values = [...this.typedSecretValues, ...this.known.map(({ value }) => value)].map((value) => value.replace(/\s+/g, '').toLowerCase()).filter(Boolean);
    return values.some((value) => squashed.includes(value) || (squashed.length >= 4 && value.includes(squashed)));
  }

  private push(step: Step): void {
    this.steps.push(step);
    this.onStep(step, this.steps.length - 1);
  }

  /** Text typed since the last step. */
  get pendingText(): string {
    return this.typed;
  }

  /** Ends the current run of typing as one desktop.type step. */
  flushTyping(): void {
    if (!this.typed) return;
    let text = this.typed;
    if (this.marked !== undefined) {
      this.typedSecretValues.add(text);
      this.secretNames.add(this.marked);
      text = `{{secrets.${this.marked}}}`;
      this.marked = undefined;
    } else {
      for (const { name, value } of this.known) {
        if (!text.includes(value)) continue;
        this.typedSecretValues.add(value);
        this.secretNames.add(name);
        text = text.split(value).join(`{{secrets.${name}}}`);
      }
    }
    this.push({ kind: 'desktop.type', text, ...(this.typedWindow ? { window: this.typedWindow } : {}) });
    this.typed = '';
    this.typedWindow = undefined;
  }

  click(click: RecordedClick): void {
    this.flushTyping();
    const last = this.steps.at(-1);
    if (click.clicks >= 2 && last?.kind === 'desktop.click' && click.button === 'left') {
      // The second press of a double click: the click recorded a moment ago becomes a double click.
      this.steps[this.steps.length - 1] = { ...last, kind: 'desktop.doubleClick' };
      this.onStep(this.steps.at(-1)!, this.steps.length - 1);
      return;
    }
    const focusing = click.windowTitle !== this.focusedTitle;
    // The click's number: its pictures are named after it (a focusWindow comes first when the window changes).
    const number = this.steps.length + (focusing ? 2 : 1);
    const candidates: DesktopCandidate[] = [];
    // The accessible control is the surest: it does not move with the window or change with the theme.
    if (click.a11y) candidates.push({ a11y: click.a11y });
    const offset = { x: Math.round(click.offset.x), y: Math.round(click.offset.y) };
    // The crop is centred on the pointer, so its recorded place is the click's offset.
    if (click.image) candidates.push({ image: typeof click.image === 'string' ? click.image : click.image(number), at: offset });
    // The control's own face: still found when a resized window moves its neighbours.
    if (click.core) candidates.push({ image: typeof click.core === 'string' ? click.core : click.core(number), at: offset });
    if (click.text) candidates.push({ text: click.text, exact: true });
    if (click.label) candidates.push({ label: click.label.text, side: click.label.side, distance: { x: Math.round(click.label.distance.x), y: Math.round(click.label.distance.y) } });
    // Below a label: the control's order among look-alikes holds only while the window's structure does.
    if (click.face) {
      const { image, at, nth } = click.face;
      candidates.push({ image: typeof image === 'string' ? image : image(number), at: { x: Math.round(at.x), y: Math.round(at.y) }, ...(nth ? { nth } : {}) });
    }
    if (click.area) candidates.push({ area: click.area, at: offset });
    candidates.push({ offset });
    const description = click.text ? `"${click.text}"` : click.label ? `the control ${click.label.side === 'right' ? 'right of' : 'below'} "${click.label.text}"` : undefined;
    const target = {
      window: click.windowTitle,
      candidates,
      ...(click.a11y ? { description: describeSelector(click.a11y) } : description ? { description } : {}),
      ...(click.windowSize ? { windowSize: click.windowSize } : {}),
    };
    if (focusing) {
      // Several windows with this title on replay: the one showing what was clicked is focused
      // (by what can tell windows apart: the control, its picture or text; not coordinates).
      const telling = candidates.filter((candidate) => !('offset' in candidate) && !('area' in candidate));
      this.push({ kind: 'desktop.focusWindow', title: click.windowTitle, ...(telling.length ? { holds: { ...target, candidates: telling } } : {}) });
      this.focusedTitle = click.windowTitle;
    }
    this.push(click.button === 'right' ? { kind: 'desktop.rightClick', target } : { kind: 'desktop.click', target });
  }

  /** A step the recorder made itself (a launch, an assertion): typing so far comes first. */
  add(step: Step): void {
    this.flushTyping();
    this.push(step);
  }

  /** The number (1-based) the next step will have. */
  get nextNumber(): number {
    return this.steps.length + 1;
  }

  /**
   * A key. `window`: the title of the window that had the focus before the key (what a key that
   * closes or switches windows went to) and just after it (a dialog that opened since the last
   * look: what a character went to), when the recorder could read them.
   */
  key(key: RecordedKey, window: { before?: string | undefined; after?: string | undefined } = {}): void {
    const meaning = keyMeaning(key.keycode, key.shift);
    if (!meaning || 'modifier' in meaning) return;
    const hotkey = key.ctrl || key.alt || key.meta;
    if ('character' in meaning && !hotkey) {
      // Keys that went to another window than the typing so far (the focus moved without a
      // click) are typing of their own, in that window.
      const to = window.after ?? window.before;
      if (this.typed && to !== undefined && this.typedWindow !== undefined && to !== this.typedWindow) this.flushTyping();
      if (!this.typed) this.typedWindow = to;
      this.typed += meaning.character;
      return;
    }
    if (meaning.name === 'Backspace' && !hotkey && this.typed) {
      this.typed = this.typed.slice(0, -1);
      return;
    }
    this.flushTyping();
    const modifiers = [key.ctrl && 'Control', key.alt && 'Alt', key.meta && 'Meta', key.shift && hotkey && 'Shift'].filter(Boolean);
    const pressedIn = window.before ?? window.after;
    this.push({ kind: 'desktop.press', keys: [...modifiers, meaning.name].join('+'), ...(pressedIn ? { window: pressedIn } : {}) });
  }
}
