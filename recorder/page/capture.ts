// Page-side: listens to what the person does in this frame and reports it as PageEvents.
// Listeners sit on the window in the capture phase (installed before the page's own scripts),
// read the real target through open shadow roots, and ignore synthetic events and the
// recorder's own toolbar. Password values never leave the page.
import { labelOf } from '../../engine/page/aria.ts';
import { fingerprintOf } from '../../engine/page/fingerprint.ts';
import type { PageEvent, RecorderState, WireTarget } from '../common/wire.ts';
import { editingHost, elementIdOf, eventTarget, interactiveAncestor, isFillable, isOwnUi, isToggle, labelledControl, parentOf } from './dom.ts';
import type { Gestures } from './gestures.ts';
import { hoverRevealer } from './hover.ts';
import { candidatesFor } from './locators.ts';

export type Send = (event: PageEvent) => void;

/** A short identifier from a field's name, id or label: "password", "newPassword", "document". */
export function identifierFrom(...texts: Array<string | null | undefined>): string | undefined {
  for (const text of texts) {
    const words = (text ?? '').replace(/([a-z])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean);
    if (!words.length) continue;
    const id = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('');
    if (/^[A-Za-z_]/.test(id) && id.length <= 40) return id;
  }
  return undefined;
}

export function targetOf(el: Element, options: { acceptInside?: boolean } = {}): WireTarget {
  const { candidates, description } = candidatesFor(el, options);
  return { candidates, description, fingerprint: fingerprintOf(el), elementId: elementIdOf(el) };
}

function modifiersOf(event: MouseEvent): Array<'Alt' | 'Control' | 'Meta' | 'Shift'> {
  const out: Array<'Alt' | 'Control' | 'Meta' | 'Shift'> = [];
  if (event.altKey) out.push('Alt');
  if (event.ctrlKey) out.push('Control');
  if (event.metaKey) out.push('Meta');
  if (event.shiftKey) out.push('Shift');
  return out;
}

/** Clicks that another event records better: focusing a text field, toggles (change), selects, file pickers. */
function clickRecordedElsewhere(el: Element): boolean {
  const control = labelledControl(el) ?? el;
  // A read-only field is not typed in: clicking it opens something (a date picker, a list).
  if (isFillable(control) && !control.readOnly) return true;
  if (isToggle(control)) return true;
  if (control instanceof HTMLInputElement && control.type === 'file') return true;
  return control instanceof HTMLSelectElement || control instanceof HTMLOptionElement || control.localName === 'option';
}

/**
 * The browser sets chosen files without a trusted event when automation picks them, and page
 * scripts cannot choose files for an <input type=file>: its change always comes from a person.
 */
function isFileInputChange(event: Event): boolean {
  const el = event.type === 'change' ? eventTarget(event) : undefined;
  return el instanceof HTMLInputElement && el.type === 'file';
}

function isPassword(el: Element): boolean {
  return el instanceof HTMLInputElement && el.type === 'password';
}

/** Keys that only modify others, or stand for no key yet (a dead key, an input method at work). */
const NOT_A_KEY = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'NumLock', 'ScrollLock', 'Fn', 'FnLock', 'Hyper', 'Super', 'OS', 'Dead', 'Unidentified', 'Process', 'Compose']);

/** The key as Playwright names a chord: "Control+a", "Shift+Tab", "ArrowLeft". */
function chordOf(event: KeyboardEvent): string {
  const modifiers = [event.ctrlKey && 'Control', event.altKey && 'Alt', event.metaKey && 'Meta', event.shiftKey && 'Shift'].filter(Boolean);
  return [...modifiers, event.key === ' ' ? 'Space' : event.key].join('+');
}

/** A liveness probe: document.open() erases every listener of the window, ours included. */
const PING = 'rpa-recorder-ping';

function deepActiveElement(): Element | null {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

export class Capture {
  private state: RecorderState = { paused: false, mode: null, steps: 0, dialogAnswer: { action: 'accept', promptText: '' } };
  /** Last value recorded per field, so blur after Enter (or a second change) does not repeat it. */
  private readonly recordedValues = new WeakMap<Element, string>();
  private dragSource: WireTarget | undefined;
  /** The editor being typed into and its target, computed once per run of keys. */
  private typing: { host: Element; target: WireTarget } | undefined;
  private pinged = false;
  /** What the person last typed into each field (trusted input events), to tell it from what the page then set. */
  private readonly typedValues = new WeakMap<Element, string>();
  /** The element under the last pointerdown and its target then: it may be gone by the click. */
  private pressed: { el: Element; target: WireTarget } | undefined;
  /** Shadow roots already listened to for events that do not leave them (change). */
  private readonly shadowRoots = new WeakSet<ShadowRoot>();

  constructor(
    private readonly send: Send,
    private readonly gestures: Gestures,
  ) {}

  setState(state: RecorderState): void {
    this.state = state;
  }

  install(): void {
    this.listen();
  }

  /**
   * Listens again when the window lost our listeners (an editor rewrote its frame's document
   * with document.open(), as classic WYSIWYG editors do). True when they had been lost.
   */
  revive(): boolean {
    if (this.alive()) return false;
    this.typing = undefined;
    this.listen();
    return true;
  }

  /** Whether our listeners run: not in a document where scripts are off (a frame sandboxed without scripts). */
  alive(): boolean {
    this.pinged = false;
    window.dispatchEvent(new Event(PING));
    return this.pinged;
  }

  private listen(): void {
    // First, so that what the listeners below send carries the gesture it belongs to.
    this.gestures.listen(isOwnUi);
    window.addEventListener(PING, () => (this.pinged = true), true);
    // Leaving the page (a link, a submit, closing the tab) must not lose a half-typed value.
    window.addEventListener('pagehide', () => this.flush(), true);
    const on = <K extends keyof WindowEventMap>(type: K, handler: (event: WindowEventMap[K]) => void): void => {
      window.addEventListener(type, (event) => {
        if (!(event.isTrusted || isFileInputChange(event)) || isOwnUi(event)) return;
        try {
          handler(event);
        } catch (error) {
          console.warn('rpa recorder:', error);
        }
      }, true);
    };
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup'] as const) on(type, (event) => this.swallowWhilePicking(event));
    on('pointerdown', (event) => this.onPointerDown(event));
    on('input', (event) => this.onInput(event));
    on('focusin', (event) => this.listenInShadowRoot(event));
    on('click', (event) => this.onClick(event, 'left'));
    on('contextmenu', (event) => this.onClick(event, 'right'));
    on('dblclick', (event) => this.onDoubleClick(event));
    on('change', (event) => this.onChange(event));
    on('keydown', (event) => this.onKeyDown(event));
    on('dragstart', (event) => this.onDragStart(event));
    on('drop', (event) => this.onDrop(event));
    on('paste', (event) => this.onPaste(event));
  }

  private get recording(): boolean {
    return !this.state.paused;
  }

  /** In pick mode (Assert / Extract / Wait) the page must not react to the picking click. */
  private swallowWhilePicking(event: Event): void {
    if (!this.state.mode) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  /**
   * Where the press landed, described while it is still there: lists that close on mousedown
   * (autocomplete options) take the element away before the click, which then lands on an
   * ancestor (the body, the document).
   */
  private onPointerDown(event: PointerEvent): void {
    this.pressed = undefined;
    const target = eventTarget(event);
    if (!target || this.state.mode || !this.recording || event.button !== 0) return;
    const el = interactiveAncestor(target);
    if (clickRecordedElsewhere(el)) return;
    this.pressed = { el, target: targetOf(el, { acceptInside: true }) };
  }

  private onInput(event: Event): void {
    const el = eventTarget(event);
    if (el && isFillable(el)) this.typedValues.set(el, el.value);
  }

  /** change does not leave a shadow root (it is not composed): listen inside the roots the person works in. */
  private listenInShadowRoot(event: FocusEvent): void {
    const el = eventTarget(event);
    const root = el?.getRootNode();
    if (!(root instanceof ShadowRoot) || this.shadowRoots.has(root)) return;
    this.shadowRoots.add(root);
    root.addEventListener('change', (e) => {
      if (!e.isTrusted && !isFileInputChange(e)) return;
      try {
        this.onChange(e);
      } catch (error) {
        console.warn('rpa recorder:', error);
      }
    }, true);
  }

  private onClick(event: MouseEvent, button: 'left' | 'right'): void {
    let target = eventTarget(event);
    if (!target) return;
    this.typing = undefined;
    const pressed = this.pressed;
    this.pressed = undefined;
    if (this.state.mode) {
      this.swallowWhilePicking(event);
      if (button === 'left') this.pick(target);
      return;
    }
    if (!this.recording) return;
    if (button === 'left' && event.detail > 1) return; // the second click of a double click comes as dblclick
    // The pressed element went away (or was hidden) before the click: the click was on it.
    // (Same gesture: `pressed` is set by this click's own pointerdown.)
    const vanished = pressed && button === 'left' && pressed.el !== target && (!pressed.el.isConnected || (target.contains(pressed.el) && !pressed.el.checkVisibility()));
    if (vanished) target = pressed.el;
    const el = interactiveAncestor(target);
    // Enter in a field clicks the form's submit button for it: the press is already recorded.
    const active = deepActiveElement();
    if (event.detail === 0 && !(active && el.contains(active))) return;
    if (button === 'left' && clickRecordedElsewhere(el)) return;
    // Text typed into a field that stays focused (an autocomplete whose options keep the focus
    // there) comes before the click on an option.
    this.flush();
    const revealer = vanished ? undefined : hoverRevealer(el);
    this.send({
      type: 'click',
      target: vanished ? pressed.target : targetOf(el, { acceptInside: true }),
      button,
      clickCount: 1,
      modifiers: modifiersOf(event),
      ...(revealer ? { hover: targetOf(revealer, { acceptInside: true }) } : {}),
    });
  }

  private onDoubleClick(event: MouseEvent): void {
    const target = eventTarget(event);
    if (!target || !this.recording || this.state.mode) return;
    const el = interactiveAncestor(target);
    if (clickRecordedElsewhere(el)) return;
    this.send({ type: 'click', target: targetOf(el, { acceptInside: true }), button: 'left', clickCount: 2, modifiers: modifiersOf(event) });
  }

  private pick(el: Element): void {
    this.typing = undefined;
    const mode = this.state.mode;
    if (mode === 'waitFor') {
      this.send({ type: 'waitFor', target: targetOf(el) });
    } else if (mode === 'extract') {
      const table = el.closest('table');
      if (table) {
        this.send({ type: 'extract', target: targetOf(table), what: 'table', suggestedName: identifierFrom(table.getAttribute('summary'), table.caption?.textContent, 'table') ?? 'table' });
      } else {
        const fp = fingerprintOf(el);
        this.send({ type: 'extract', target: targetOf(el), what: 'text', suggestedName: identifierFrom(labelOf(el), fp.label, el.getAttribute('name'), el.classList[0], 'text') ?? 'text' });
      }
    } else if (mode === 'assert') {
      const control = labelledControl(el) ?? el;
      if ((isFillable(control) || control instanceof HTMLSelectElement) && !isPassword(control)) {
        this.send({ type: 'assert', target: targetOf(control), assert: 'valueEquals', expected: (control as HTMLInputElement).value });
      } else {
        const text = ((el as HTMLElement).innerText ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (text && text.length <= 200 && !isPassword(control)) this.send({ type: 'assert', target: targetOf(el), assert: 'textEquals', expected: text });
        else this.send({ type: 'assert', target: targetOf(el), assert: 'visible' });
      }
    }
  }

  private sendFill(el: HTMLInputElement | HTMLTextAreaElement): void {
    if (this.recordedValues.get(el) === el.value) return;
    // The page set the value itself after what the person typed was recorded (an autocomplete
    // option picked): the replay gets there the same way, and filling it would undo the pick.
    const typed = this.typedValues.get(el);
    if (typed !== undefined && el.value !== typed && this.recordedValues.get(el) === typed) return;
    this.recordedValues.set(el, el.value);
    if (isPassword(el)) {
      const secret = identifierFrom(el.getAttribute('name'), el.id && !/\d{3,}/.test(el.id) ? el.id : undefined, labelOf(el), 'password') ?? 'password';
      this.send({ type: 'fill', target: targetOf(el), secret });
      return;
    }
    this.send({ type: 'fill', target: targetOf(el), value: el.value });
  }

  private onChange(event: Event): void {
    const el = eventTarget(event);
    if (!el || !this.recording) return;
    if (isToggle(el)) {
      this.send({ type: 'check', target: targetOf(el), checked: el.checked });
    } else if (el instanceof HTMLInputElement && el.type === 'file') {
      const fileNames = Array.from(el.files ?? []).map((f) => f.name);
      if (!fileNames.length) return;
      const field = identifierFrom(el.getAttribute('name'), labelOf(el), 'file') ?? 'file';
      this.send({ type: 'upload', target: targetOf(el), fileNames, field });
    } else if (el instanceof HTMLSelectElement && !el.multiple) {
      const option = el.selectedOptions[0];
      if (!option) return;
      const label = option.label.replace(/\s+/g, ' ').trim();
      const sameLabel = Array.from(el.options).filter((o) => o.label.replace(/\s+/g, ' ').trim() === label).length;
      this.send(label && sameLabel === 1 ? { type: 'select', target: targetOf(el), label } : { type: 'select', target: targetOf(el), value: option.value });
    } else if (isFillable(el)) {
      this.sendFill(el);
    }
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.state.mode) {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopImmediatePropagation();
        this.send({ type: 'mode', mode: null });
      }
      return;
    }
    if (!this.recording || event.isComposing) return;
    const el = eventTarget(event);
    if (!el) return;
    const host = editingHost(el);
    if (host) {
      this.onEditorKey(event, host);
      return;
    }
    this.typing = undefined;
    if (event.key === 'Enter' && el instanceof HTMLInputElement && isFillable(el)) {
      // Enter in a field usually submits: the typed value first, then the key.
      this.sendFill(el);
      this.send({ type: 'press', target: targetOf(el), key: 'Enter' });
    } else if (event.key === 'Escape') {
      const focused = el === document.body || el === document.documentElement ? undefined : el;
      this.send({ type: 'press', key: 'Escape', ...(focused ? { target: targetOf(focused) } : {}) });
    }
  }

  /** The target of the editor typed into: the same for a run of keys (the text changes, the element does not). */
  private editorTarget(host: Element): WireTarget {
    if (this.typing?.host !== host) this.typing = { host, target: targetOf(host) };
    return this.typing.target;
  }

  /**
   * A key in a rich-text editor (contenteditable), which fires no change event: characters and
   * Enter are sent as typed text (Node joins a run of them into one step, and a Backspace takes
   * the last one back), chords and other keys as presses: Control+a, Control+b, Tab, ArrowLeft.
   */
  private onEditorKey(event: KeyboardEvent, host: Element): void {
    if (NOT_A_KEY.has(event.key)) return;
    const altGraph = event.ctrlKey && event.altKey && !event.metaKey; // AltGr on some layouts types characters
    const chord = (event.ctrlKey || event.altKey || event.metaKey) && !altGraph;
    const target = this.editorTarget(host);
    if (!chord && Array.from(event.key).length === 1) this.send({ type: 'type', target, text: event.key });
    else if (!chord && !event.shiftKey && event.key === 'Enter') this.send({ type: 'type', target, text: '\n' });
    else this.send({ type: 'press', target, key: chordOf(event) });
  }

  private onPaste(event: ClipboardEvent): void {
    const el = eventTarget(event);
    const host = el && this.recording && !this.state.mode ? editingHost(el) : undefined;
    const text = event.clipboardData?.getData('text/plain');
    if (host && text) this.send({ type: 'type', target: this.editorTarget(host), text });
  }

  /** Flushes a field being typed in (recording stops, or the person leaves the page). */
  flush(): void {
    const el = deepActiveElement();
    if (el && isFillable(el) && this.recording && (el.value !== el.defaultValue || this.recordedValues.has(el))) this.sendFill(el);
  }

  private onDragStart(event: DragEvent): void {
    const target = eventTarget(event);
    if (!target || !this.recording) return;
    let source: Element = target;
    for (let node: Element | null = target; node; node = parentOf(node)) {
      if (node.getAttribute('draggable') === 'true') {
        source = node;
        break;
      }
    }
    this.dragSource = targetOf(source);
  }

  private onDrop(event: DragEvent): void {
    const target = eventTarget(event);
    const source = this.dragSource;
    this.dragSource = undefined;
    if (!target || !source || !this.recording) return;
    let zone: Element = target;
    for (let node: Element | null = target; node; node = parentOf(node)) {
      if (node.hasAttribute('ondrop') || node.getAttribute('draggable') === 'true' || node.hasAttribute('data-dropzone') || node.getAttribute('aria-dropeffect')) {
        zone = node;
        break;
      }
    }
    const to = targetOf(zone, { acceptInside: true });
    if (to.elementId === source.elementId) return;
    this.send({ type: 'dragTo', target: source, to });
  }
}
