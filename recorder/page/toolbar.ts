// Page-side: the recorder's toolbar, top frame only, in a closed shadow root so the page's
// CSS cannot restyle it and the page's scripts cannot reach into it. Its own clicks and keys
// never reach the recording (capture.ts ignores events whose path holds the host).
import type { PageEvent, PickMode, RecorderState } from '../common/wire.ts';
import { TOOLBAR_TAG } from './dom.ts';

const STYLE = `
:host { all: initial; position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; }
.bar { font: 12px/1.3 system-ui, sans-serif; color: #f4f4f4; background: #1f2933; border-radius: 8px;
  box-shadow: 0 2px 10px rgba(0,0,0,.35); padding: 6px 8px; display: flex; flex-direction: column; gap: 5px; max-width: 420px; }
.row { display: flex; align-items: center; gap: 5px; flex-wrap: wrap; }
.dot { width: 9px; height: 9px; border-radius: 50%; background: #e02424; }
.paused .dot { background: #9aa5b1; }
button, select, input { font: inherit; color: #1f2933; background: #e4e7eb; border: 0; border-radius: 4px; padding: 3px 7px; cursor: pointer; }
button.on { background: #f7c948; }
button.stop { background: #e02424; color: #fff; }
input { width: 110px; cursor: text; }
.status, .hint { color: #cbd2d9; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.hint { color: #f7c948; }
.warning { color: #ffb4a8; white-space: normal; }
.warning:empty { display: none; }
`;

const PICK_HINTS: Record<PickMode, string> = {
  assert: 'Click an element to assert its text, value or visibility (Esc cancels)',
  extract: 'Click an element (or a table cell) to extract into a variable (Esc cancels)',
  waitFor: 'Click an element to wait for it to be visible (Esc cancels)',
};

export class Toolbar {
  private readonly host: HTMLElement;
  private readonly root: ShadowRoot;
  private state: RecorderState | undefined;
  /** The dialog answer set on this toolbar; it wins over Node's copy, which may not have it yet. */
  private localAnswer: RecorderState['dialogAnswer'] | undefined;

  constructor(private readonly send: (event: PageEvent) => void) {
    this.host = document.createElement(TOOLBAR_TAG);
    this.root = this.host.attachShadow({ mode: 'closed' });
    this.root.innerHTML = `<style>${STYLE}</style>
<div class="bar" part="bar">
  <div class="row">
    <span class="dot"></span><b>REC</b>
    <button data-action="pause" title="Pause or resume recording">Pause</button>
    <button data-action="assert" title="Add an assertion: click an element">Assert</button>
    <button data-action="extract" title="Extract text or a table into a variable: click an element">Extract</button>
    <button data-action="waitFor" title="Wait for an element: click it">Wait</button>
    <button data-action="stop" class="stop" title="Stop recording and save">Stop</button>
  </div>
  <div class="row">
    <label>Dialogs <select data-action="dialog"><option value="accept">accept</option><option value="dismiss">dismiss</option></select></label>
    <label>Prompt answer <input data-action="prompt" placeholder="(prompt default)"></label>
  </div>
  <div class="status"></div>
  <div class="warning" role="alert"></div>
</div>`;
    this.root.addEventListener('click', (event) => this.onClick(event));
    this.root.addEventListener('change', () => this.sendDialogAnswer());
    this.root.addEventListener('input', () => this.sendDialogAnswer());
    if (document.body) this.mount();
    else document.addEventListener('DOMContentLoaded', () => this.mount(), { once: true });
  }

  /** Puts the toolbar on the page (again, after the page replaced its whole document). */
  mount(): void {
    if (!this.host.isConnected && document.documentElement) document.documentElement.appendChild(this.host);
  }

  private part<T extends Element>(selector: string): T {
    return this.root.querySelector<T>(selector)!;
  }

  private onClick(event: Event): void {
    const button = (event.target as Element).closest('button');
    const action = button?.dataset['action'];
    if (!action || !this.state) return;
    if (action === 'pause') this.send({ type: 'control', action: this.state.paused ? 'resume' : 'pause' });
    else if (action === 'stop') this.send({ type: 'control', action: 'stop' });
    else {
      const mode = action as PickMode;
      this.send({ type: 'mode', mode: this.state.mode === mode ? null : mode });
    }
  }

  private sendDialogAnswer(): void {
    const action = this.part<HTMLSelectElement>('select').value === 'dismiss' ? 'dismiss' : 'accept';
    this.localAnswer = { action, promptText: this.part<HTMLInputElement>('input').value };
    this.send({ type: 'dialogAnswer', ...this.localAnswer });
  }

  /** How to answer the page's next dialog: as set here, else as Node last said. */
  dialogAnswer(): RecorderState['dialogAnswer'] | undefined {
    return this.localAnswer ?? this.state?.dialogAnswer;
  }

  update(state: RecorderState): void {
    this.state = state;
    this.part('.bar').classList.toggle('paused', state.paused);
    this.part('button[data-action=pause]').textContent = state.paused ? 'Resume' : 'Pause';
    for (const mode of ['assert', 'extract', 'waitFor'] as const) this.part(`button[data-action=${mode}]`).classList.toggle('on', state.mode === mode);
    // Node's copy of the answer may lag what was just set here (its answer to an earlier key).
    const answer = this.localAnswer ?? state.dialogAnswer;
    const select = this.part<HTMLSelectElement>('select');
    if (select.value !== answer.action) select.value = answer.action;
    const prompt = this.part<HTMLInputElement>('input');
    if (prompt.value !== answer.promptText && this.root.activeElement !== prompt) prompt.value = answer.promptText;
    const status = this.part('.status');
    status.classList.toggle('hint', state.mode !== null);
    status.textContent = state.mode
      ? PICK_HINTS[state.mode]
      : `${state.paused ? 'Paused' : 'Recording'} · ${state.steps} step${state.steps === 1 ? '' : 's'}${state.last ? ` · last: ${state.last}` : ''}`;
    this.part('.warning').textContent = state.warning ? `⚠ ${state.warning}` : '';
  }

  text(): string {
    return `${this.part('.status').textContent ?? ''}\n${this.part('.warning').textContent ?? ''}`;
  }

  /** Where a control is on screen (tests and the benchmark click it with the real mouse). */
  box(action: string): { x: number; y: number; width: number; height: number } | undefined {
    const el = this.root.querySelector(`[data-action=${CSS.escape(action)}]`);
    if (!el) return undefined;
    const rect = el.getBoundingClientRect();
    return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  }
}
