// The browser recorder's API, used by `rpa record` and the studio: opens the installed
// Chrome/Chromium through playwright-core with the page-side recorder injected into every
// page, frame and popup, turns what the person does into steps, and hands back a valid
// automation when stopped.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, BrowserContext, CDPSession, Dialog, Frame, Page } from 'playwright-core';
import { BrowserNotFoundError, RpaError } from '../engine/errors.js';
import type { Automation, Step } from '../engine/format/schema.js';
import type { PageEvent, RecorderState } from './common/wire.js';
import { describeRecordedStep } from './describe.js';
import { frameChain } from './frames.js';
import { StepBuilder, type RecordedDialog, type TabRef } from './step-builder.js';
import { PageEventSchema } from './wire-schema.js';

export interface RecordOptions {
  /** Page to open first; without it the browser opens on about:blank and the first typed URL becomes a goto. */
  url?: string;
  headless?: boolean;
  /** The browser to drive (the engine API and the CLI find it with engine/runner/browser-finder). */
  executablePath?: string;
  /**
   * The browser's environment; default this process's. The engine host gives the display of the
   * studio that asked for the recording, so its window opens on that studio's screen.
   */
  env?: NodeJS.ProcessEnv;
  /**
   * A browser already running (playwright-core) to record in instead, in a context of its own;
   * it is left running when the recording ends. For tests that record many flows in one browser.
   */
  browser?: Browser;
  id?: string;
  name?: string;
  /** Called for each step recorded, and again when a step is updated (typing continued, a double click). */
  onStep?: (step: Step, index: number) => void;
  /** Aborting stops the recording, as stop() does. */
  signal?: AbortSignal;
  /**
   * Called when something the person may do cannot be recorded (a frame the recorder cannot
   * enter). The toolbar shows it too, and the recording keeps it as a warning log step.
   */
  onWarning?: (message: string) => void;
}

/** Why a recording ended on its own: the toolbar's Stop, the browser closed, or the signal aborted. */
export type EndReason = 'toolbar' | 'closed' | 'aborted';

export interface RecordingSession {
  /** playwright-core context, so tests and benchmarks can drive the recorder's browser with real input. */
  readonly context: BrowserContext;
  /** The first tab. */
  readonly page: Page;
  /** Resolves when the person ends the recording (toolbar Stop, closing the browser) or the signal aborts; then call stop(). */
  readonly ended: Promise<EndReason>;
  /** What is recorded so far. */
  steps(): Step[];
  /** What could not be recorded, as said to onWarning. */
  warnings(): string[];
  pause(): void;
  resume(): void;
  /** Closes the browser and returns the recorded automation (schema-valid). Safe to call twice. */
  stop(): Promise<Automation>;
}

// Same flags as the runner's browser (engine/runner/browser-session.ts), which recorder/ may not import.
const CHROMIUM_ARGS = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const BUNDLE = fileURLToPath(new URL('./page/recorder.bundle.js', import.meta.url));
/**
 * Only for a dialog the page-side recorder did not answer (one asked from a document it does
 * not run in): how long it waits for the binding message of the action that may have opened it.
 */
const DIALOG_SETTLE_MS = 150;
/** How long a frame's note that it asks the browser for a dialog (PageEvent asking) waits for that dialog: a refused one never comes. */
const ASKING_KEPT_MS = 60_000;
/** Navigation types of the address bar (Chrome's transition types), as opposed to link, form_submit, reload… */
const TYPED = new Set(['typed', 'auto_bookmark', 'generated', 'keyword', 'keyword_generated', 'auto_toplevel']);

/** A frame's note that it asks the browser for a dialog (PageEvent asking), with when Node got it. */
interface Asking {
  page: Page;
  type: string;
  message: string;
  actionId?: string;
  later: boolean;
  at: number;
  noted: number;
}

interface HistoryEntry {
  url: string;
  userTypedURL: string;
  transitionType: string;
}

/** The tab's current history entry. Chrome refuses while it swaps the page's document; ask again then. */
async function currentHistoryEntry(session: CDPSession): Promise<HistoryEntry | undefined> {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const history = await session.send('Page.getNavigationHistory');
      return history.entries[history.currentIndex];
    } catch (error) {
      if (!/Not attached to an active page/i.test((error as Error).message)) return undefined;
      await delay(50);
    }
  }
  return undefined;
}

function readBundle(): string {
  try {
    return readFileSync(BUNDLE, 'utf8');
  } catch {
    throw new RpaError(`the page-side recorder ${BUNDLE} is missing; build it with: npm run build`);
  }
}

function defaultId(): string {
  return `recording-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
}

class Recorder implements RecordingSession {
  readonly ended: Promise<EndReason>;
  private endWith!: (reason: EndReason) => void;
  private readonly keys = new WeakMap<Page, number>();
  /** Dialogs waiting to be placed (see onDialog). */
  private pendingDialogs = 0;
  /** Dialogs frames said they are asking the browser for (PageEvent asking), not yet matched to one. */
  private askings: Asking[] = [];
  /** History entry a document left → the gesture that made it leave (PageEvent navigating). */
  private readonly navigationCauses = new Map<string, string>();
  private readonly tabs: Page[] = [];
  /** Each tab's last committed URL, to tell where a typed navigation started from. */
  private readonly lastUrls = new WeakMap<Page, string>();
  private nextKey = 1;
  private builder!: StepBuilder;
  private state: RecorderState = { paused: false, mode: null, steps: 1, dialogAnswer: { action: 'accept', promptText: '' } };
  /** Page events and dialogs are handled one at a time, in the order they arrived. */
  private queue: Promise<void> = Promise.resolve();
  /** The URL the recorder itself opened: its navigation is the browser.open, not a typed goto. */
  private ownNavigation: string | undefined;
  private stopping: Promise<Automation> | undefined;
  private toolbarRefresh: NodeJS.Timeout | undefined;
  private readonly warned: string[] = [];
  /** Frames being checked (see checkFrame), so stop() can wait for their verdict. */
  private readonly frameChecks = new Set<Promise<void>>();
  page!: Page;

  constructor(
    private readonly browser: Browser,
    readonly context: BrowserContext,
    private readonly options: RecordOptions,
  ) {
    this.ended = new Promise((resolve) => (this.endWith = resolve));
  }

  async start(): Promise<void> {
    await this.context.exposeBinding('__rpaRecord', (source: { frame: Frame; page: Page }, raw: unknown) => this.onMessage(source.frame, source.page, raw));
    await this.context.addInitScript({ content: readBundle() });
    this.context.on('page', (page) => this.track(page));
    if (this.options.browser) this.context.on('close', () => this.endWith('closed'));
    else this.browser.on('disconnected', () => this.endWith('closed'));
    this.page = await this.context.newPage();
    this.track(this.page);
    this.builder = new StepBuilder({
      id: this.options.id ?? defaultId(),
      name: this.options.name ?? 'Recorded session',
      firstTab: this.tabRef(this.page),
      ...(this.options.url ? { startUrl: this.options.url } : {}),
    });
    this.emit(this.builder.steps()[0]!, 0);
    if (this.options.url) {
      this.ownNavigation = this.options.url;
      await this.page.goto(this.options.url);
    }
  }

  steps(): Step[] {
    return this.builder.steps();
  }

  warnings(): string[] {
    return [...this.warned];
  }

  pause(): void {
    this.setState({ paused: true, mode: null });
  }

  resume(): void {
    this.setState({ paused: false });
  }

  stop(): Promise<Automation> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  abort(): void {
    this.endWith('aborted');
    this.stop().catch(() => undefined);
  }

  private async finish(): Promise<Automation> {
    // A field still being typed in has not fired "change" yet.
    for (const page of this.openTabs()) {
      for (const frame of page.frames()) {
        await frame.evaluate(() => (globalThis as { __rpaRecorder?: { flush(): void } }).__rpaRecorder?.flush()).catch(() => undefined);
      }
    }
    while (this.pendingDialogs > 0) await delay(20);
    await Promise.all([...this.frameChecks]);
    await this.drain();
    clearTimeout(this.toolbarRefresh);
    this.endWith('closed');
    await this.context.close().catch(() => undefined);
    if (!this.options.browser) await this.browser.close().catch(() => undefined);
    return this.builder.toAutomation();
  }

  private async drain(): Promise<void> {
    for (let seen: Promise<void> | undefined; seen !== this.queue; ) {
      seen = this.queue;
      await seen;
    }
  }

  private enqueue(work: () => Promise<void> | void): void {
    this.queue = this.queue.then(work).catch((error: unknown) => {
      // A page that navigated or closed mid-message: the event is lost, the recording goes on.
      if (!(error instanceof Error && /closed|detached|destroyed|Target/i.test(error.message))) console.warn(`rpa record: ${(error as Error).message}`);
    });
  }

  private track(page: Page): void {
    if (this.keys.has(page)) return;
    this.keys.set(page, this.nextKey++);
    this.tabs.push(page);
    page.on('dialog', (dialog) => this.onDialog(page, dialog));
    page.on('close', () => {
      if (!this.openTabs().length) this.endWith('closed');
    });
    page.on('frameattached', (frame) => this.checkFrame(page, frame));
    // Chrome knows whether a navigation came from the address bar; only those become gotos.
    const cdp = this.context.newCDPSession(page);
    void cdp.catch(() => undefined); // a tab closed at once has no navigations to classify
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) {
        this.checkFrame(page, frame);
        return;
      }
      const url = frame.url();
      const previousUrl = this.lastUrls.get(page);
      this.lastUrls.set(page, url);
      // Asked at once: by the time earlier events are handled, the tab may be navigating again.
      const entry = cdp.then(currentHistoryEntry, () => undefined);
      this.enqueue(async () => {
        const current = await entry;
        // What the person typed, not where the server redirected them (a sign-in page, say).
        this.onNavigated(page, current?.userTypedURL || url, current?.transitionType, previousUrl);
      });
    });
  }

  /**
   * A frame whose document the recorder cannot run in (sandboxed without scripts, say) would
   * lose everything done inside it without a word: say so on the toolbar and to onWarning,
   * and keep a warning step where it happened. A frame whose document an editor rewrote is
   * told to listen again (the page-side recorder also notices by itself).
   */
  private checkFrame(page: Page, frame: Frame): void {
    const check = (async () => {
      await frame.waitForLoadState('domcontentloaded', { timeout: 15_000 }).catch(() => undefined);
      if (frame.isDetached() || page.isClosed()) return;
      const live = await frame
        .evaluate(() => {
          const recorder = (globalThis as { __rpaRecorder?: { revive(): boolean; alive(): boolean } }).__rpaRecorder;
          if (!recorder) return false;
          recorder.revive();
          // Listeners that do not run even right after being added: scripts are off in this document.
          return recorder.alive();
        })
        .catch(() => undefined); // detached or navigating: the next navigation brings its own check
      if (live !== false || frame.isDetached()) return;
      const element = await frame.frameElement().catch(() => undefined);
      const sandbox = element ? await element.getAttribute('sandbox').catch(() => null) : null;
      await element?.dispose().catch(() => undefined);
      const chain = await frameChain(frame).catch(() => [] as string[]);
      const where = `${chain.length ? chain.join(' > ') : 'a frame'} (${frame.url().slice(0, 120)})`;
      const why =
        sandbox !== null && !/\ballow-scripts\b/.test(sandbox)
          ? `it is sandboxed without scripts (sandbox="${sandbox}"), so no recorder can run in it`
          : 'the recorder could not start in it';
      this.warn(page, `the frame ${where} cannot be recorded: ${why}. What you do inside it is NOT recorded; add those steps by hand.`);
    })();
    this.frameChecks.add(check);
    void check.finally(() => this.frameChecks.delete(check));
  }

  private warn(page: Page, message: string): void {
    if (!this.tell(message)) return;
    this.enqueue(() => {
      this.record(this.builder.addWarning(this.tabRef(page), message));
      this.setState({ warning: message });
    });
  }

  /** Says `message` to onWarning and keeps it for warnings(); false if it was said already. */
  private tell(message: string): boolean {
    if (this.warned.includes(message) || this.stopping) return false;
    this.warned.push(message);
    try {
      this.options.onWarning?.(message);
    } catch (error) {
      console.warn(`rpa record: onWarning failed: ${(error as Error).message}`);
    }
    return true;
  }

  /**
   * Records a dialog where it belongs: before the action of the gesture that opened it (or that
   * navigated to the document that opened it while loading); with no such action, as the page's
   * own (answered whenever it opens, waited for where it opened), and then the person is told,
   * on the toolbar and in the recording's description.
   */
  private placeDialog(page: Page, dialog: RecordedDialog, actionId: string | undefined, at: number, later = false): void {
    const placed = this.builder.addDialog(this.tabRef(page), dialog, { ...(actionId ? { actionId } : {}), at, ...(later ? { later } : {}) });
    this.record([placed.step]);
    if (!placed.unprompted) return;
    const message = `the ${dialog.type} "${dialog.message.slice(0, 80)}" opened while no action of yours was running (the page's own timer or worker, or a frame the recorder cannot see into): the replay answers it whenever it opens and waits for it ${placed.unprompted}.`;
    if (!this.tell(message)) return;
    this.builder.addCheckNote(message);
    this.setState({ warning: message });
  }

  private onNavigated(page: Page, url: string, transition: string | undefined, previousUrl: string | undefined): void {
    if (!transition || !TYPED.has(transition) || url === 'about:blank') return;
    if (this.ownNavigation !== undefined && page === this.page) {
      this.ownNavigation = undefined; // the recorder's own page.goto(url), after redirects
      return;
    }
    if (this.state.paused) return;
    this.record(this.builder.addGoto(this.tabRef(page), this.openTabRefs(), url, previousUrl));
  }

  private onDialog(page: Page, dialog: Dialog): void {
    // A handled dialog cannot be shown to the person, so it is answered the way the toolbar
    // says (accept by default; a prompt gets the toolbar's answer or its own default text).
    const { action, promptText } = this.state.dialogAnswer;
    const type = dialog.type();
    const answer = type === 'prompt' && action === 'accept' ? promptText || dialog.defaultValue() : undefined;
    const answered = action === 'accept' ? dialog.accept(answer) : dialog.dismiss();
    answered.catch(() => undefined);
    if (type === 'beforeunload' || this.state.paused) return;
    // The page-side recorder answers the dialogs of every document it runs in (page/dialogs.ts),
    // except in frames the browser may refuse dialogs to: those say first which gesture asks
    // (asking). One from a document without the recorder has no such note: nothing says which
    // action opened it. Notes and actions report through the binding, which Playwright may
    // deliver a little after the dialog event: place the dialog once they are in.
    const message = dialog.message();
    const at = Date.now();
    this.pendingDialogs++;
    setTimeout(() => {
      this.enqueue(() => {
        const note = this.takeAsking(page, type, message);
        const recorded = { type, message, action, ...(answer !== undefined ? { promptText: answer } : {}) };
        if (note?.actionId) this.placeDialog(page, recorded, note.actionId, note.at, note.later);
        else this.placeDialog(page, recorded, undefined, note?.at ?? at);
      });
      this.pendingDialogs--;
    }, DIALOG_SETTLE_MS);
  }

  /** The oldest note of a frame of `page` asking for this dialog; notes of dialogs the browser refused are dropped after a while. */
  private takeAsking(page: Page, type: string, message: string): Asking | undefined {
    const now = Date.now();
    this.askings = this.askings.filter((a) => now - a.noted < ASKING_KEPT_MS);
    const index = this.askings.findIndex((a) => a.page === page && a.type === type && a.message === message);
    return index < 0 ? undefined : this.askings.splice(index, 1)[0];
  }

  private onMessage(frame: Frame, page: Page, raw: unknown): RecorderState {
    const parsed = PageEventSchema.safeParse(raw);
    if (!parsed.success) return this.state; // a page script calling our binding with junk
    const event: PageEvent = parsed.data;
    switch (event.type) {
      case 'hello':
        break;
      case 'control':
        if (event.action === 'stop') this.endWith('toolbar');
        else this.setState({ paused: event.action === 'pause', mode: null });
        break;
      case 'mode':
        this.setState({ mode: event.mode });
        break;
      case 'dialogAnswer':
        this.state = { ...this.state, dialogAnswer: { action: event.action, promptText: event.promptText } };
        break;
      case 'navigating':
        this.navigationCauses.set(event.entry, event.actionId);
        break;
      case 'asking':
        if (this.state.paused) break;
        this.askings.push({ page, type: event.dialogType, message: event.message, ...(event.actionId ? { actionId: event.actionId } : {}), later: event.later === true, at: event.at, noted: Date.now() });
        break;
      case 'dialog': {
        if (this.state.paused) break;
        const { dialogType: type, message, action, promptText, cameFrom, later, at } = event;
        this.enqueue(() => {
          // Asked while its document loaded: the gesture that navigated here opened it.
          const actionId = event.actionId ?? (cameFrom ? this.navigationCauses.get(cameFrom) : undefined);
          this.placeDialog(page, { type, message, action, ...(promptText !== undefined ? { promptText } : {}) }, actionId, at, later === true);
        });
        break;
      }
      default:
        if (this.state.paused) break;
        if (event.type === 'assert' || event.type === 'extract' || event.type === 'waitFor') this.setState({ mode: null });
        {
          const at = event.at ?? Date.now();
          this.enqueue(async () => {
            const chain = await frameChain(frame);
            this.record(this.builder.addAction(this.tabRef(page), this.openTabRefs(), chain, event, at));
          });
        }
    }
    return this.state;
  }

  private record(changed: Step[]): void {
    for (const step of changed) this.emit(step, this.builder.indexOf(step));
    this.state = { ...this.state, steps: this.builder.length, last: changed.length ? describeRecordedStep(changed.at(-1)!) : this.state.last };
    // The toolbar's step count is refreshed at most a few times a second: pushing it into the
    // page after every click would keep the page busy while the person goes on working.
    this.toolbarRefresh ??= setTimeout(() => {
      this.toolbarRefresh = undefined;
      this.setState({});
    }, 250);
  }

  private emit(step: Step, index: number): void {
    try {
      this.options.onStep?.(structuredClone(step), index);
    } catch (error) {
      console.warn(`rpa record: onStep failed: ${(error as Error).message}`);
    }
  }

  private setState(change: Partial<RecorderState>): void {
    const modeChanged = change.mode !== undefined && change.mode !== this.state.mode;
    const pauseChanged = change.paused !== undefined && change.paused !== this.state.paused;
    this.state = { ...this.state, ...change };
    // Every frame needs pause and pick mode; only the top frames show the toolbar.
    const frames = this.openTabs().flatMap((page) => (modeChanged || pauseChanged ? page.frames() : [page.mainFrame()]));
    for (const frame of frames) {
      frame
        .evaluate((state) => (globalThis as { __rpaRecorder?: { setState(s: unknown): void } }).__rpaRecorder?.setState(state), this.state)
        .catch(() => undefined);
    }
  }

  private openTabs(): Page[] {
    return this.tabs.filter((p) => !p.isClosed());
  }

  private tabRef(page: Page): TabRef {
    return { key: this.keys.get(page) ?? 0, url: page.url() };
  }

  private openTabRefs(): TabRef[] {
    return this.openTabs().map((p) => this.tabRef(p));
  }
}

export async function startRecording(options: RecordOptions): Promise<RecordingSession> {
  if (!options.executablePath && !options.browser) throw new BrowserNotFoundError('startRecording needs executablePath: the browser to record in (the engine API and `rpa record` find it for you)');
  if (options.signal?.aborted) throw new RpaError('recording cancelled before it started');
  const { chromium } = await import('playwright-core');
  const headless = options.headless ?? false;
  // Ctrl+C means "stop and save" (rpa record handles it); Playwright must not kill the browser first.
  const browser = options.browser ?? (await chromium.launch({ executablePath: options.executablePath, headless, args: CHROMIUM_ARGS, timeout: 60_000, ...(options.env ? { env: options.env } : {}), handleSIGINT: false, handleSIGTERM: false }));
  const context = await browser.newContext(headless ? { viewport: { width: 1280, height: 800 } } : { viewport: null });
  const recorder = new Recorder(browser, context, options);
  try {
    await recorder.start();
  } catch (error) {
    if (options.browser) await context.close().catch(() => undefined);
    else await browser.close().catch(() => undefined);
    throw error;
  }
  options.signal?.addEventListener('abort', () => recorder.abort(), { once: true });
  return recorder;
}
