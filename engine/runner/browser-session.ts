// One browser per run: launched by browser.open, shared with called automations, closed
// when the run ends (or, when the caller gave a running browser, a context of its own in it,
// closed when the run ends while the browser goes on). Keeps the list of tabs in opening
// order, answers dialogs, and remembers the fields filled from secrets so that screenshots
// and page copies never show them.
import type { Browser, BrowserContext, Dialog, Frame, Locator, Page, Request } from 'playwright-core';
import { CancelledError, RpaError, TimeoutError } from '../errors.js';
import type { Target } from '../format/schema.js';
import { candidateLocators, describeLocator, sightingKey, type Sighting } from './locate.js';
import { maskedPageHtml } from './masked-page-html.js';

export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface DialogAnswer {
  action: 'accept' | 'dismiss';
  promptText?: string | undefined;
  expectMessage?: string | undefined;
  /** Step path of the browser.dialog step that armed this answer. */
  armedBy: string;
  onDialog(message: string): void;
  /** Called once the dialog came and was answered. */
  answered?: () => void;
}

/** A dialog held for the browser.dialog step after the one running (BrowserSession.stepStarted). */
export interface HeldDialog {
  type: string;
  message: string;
}

/** A standing answer (BrowserSession.standDialog): how many dialogs it answered, and how many of them steps waited for. */
export interface StandingAnswer {
  answer: DialogAnswer;
  seen: number;
  waited: number;
}

export interface SessionLog {
  (level: 'info' | 'warn', message: string): void;
}

export interface LaunchOptions {
  executablePath: string;
  headless: boolean;
  viewport?: { width: number; height: number } | undefined;
  /** Longest the browser may take to start (its own limit, not charged to the step). */
  launchTimeoutMs: number;
  /** Where that limit is set, for the error that names it. */
  limitSource?: string | undefined;
  /** Aborted when the run is cancelled or ends: whoever started the browser is gone. */
  signal: AbortSignal;
  log: SessionLog;
  /** The browser's environment (its display among others); default this process's. */
  env?: NodeJS.ProcessEnv | undefined;
  /**
   * A browser already running (playwright-core) to open the session in instead of launching
   * one: the session gets a context of its own in it (its own cookies, storage, cache and
   * pages), closed with the session; the browser is left running. For a caller that runs many
   * automations one after another in one process (the challenge tests); `executablePath`,
   * `headless` and `env` are then the running browser's, not these.
   */
  browser?: Browser | undefined;
}

/** Requests that stay open by design (streams): no step's work waits for them to end. */
const STREAMING = new Set(['eventsource', 'websocket', 'media']);
/**
 * Answers that are streams whatever asked for them (a fetch reading an event stream or
 * newline-delimited JSON, a camera's multipart picture stream): open by design once they begin.
 */
const STREAMING_TYPES = /^\s*(text\/event-stream|application\/(x-)?ndjson|application\/(stream\+json|json-seq|jsonl|x-jsonlines)|multipart\/x-mixed-replace)\b/i;

/**
 * A GET or HEAD the page's script sent (fetch, XMLHttpRequest) that has had no answer this long
 * is held open by the server, as a long poll is: the server answers when it has news, and the
 * page asks again at once. The end of a run does not wait for such requests (settle).
 */
export const HELD_MS = 2_000;
/**
 * A GET or HEAD the page's script sent that has been held open this long (no answer, or an answer whose body never
 * ended) is the page waiting for news (a long poll open for good, a stream), not the page rendering: it no longer
 * keeps the page busy (networkBusy). Long enough for a slow answer that brings an element back to be waited for.
 */
export const LONG_OPEN_MS = 10_000;
const POLLABLE_TYPES = new Set(['fetch', 'xhr']);
const POLLABLE_METHODS = new Set(['GET', 'HEAD']);
/** Bench only (bench/settle-long-poll): wait for held requests as before, for a side-by-side measure. */
const waitForHeld = (): boolean => process.env['RPA_BENCH_SETTLE_WAITS_HELD'] === '1';

/** A request a long poll could be; its endpoint (method, origin, path: the query often holds a cursor). */
function pollEndpoint(request: Request): string | undefined {
  if (!POLLABLE_TYPES.has(request.resourceType()) || !POLLABLE_METHODS.has(request.method())) return undefined;
  return `${request.method()} ${withoutQuery(request.url())}`;
}

/**
 * The wait a Refresh or Retry-After header announces ("5", "5; url=/x", or an HTTP date for Retry-After), in
 * milliseconds; undefined when there is none or it cannot be read.
 */
export function reloadDelayMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = /^\s*(\d+(?:\.\d+)?)\s*(?:[;,]|$)/.exec(value);
  if (seconds) return Number(seconds[1]) * 1000;
  // An HTTP date names its day and month ("Wed, 21 Oct 2026 07:28:00 GMT"); a bare number is no date.
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The wait a document's <meta http-equiv="refresh" content="N…"> announces, in milliseconds. */
export function metaRefreshMs(html: string): number | undefined {
  for (const [tag] of html.matchAll(/<meta\b[^>]*>/gi)) {
    if (!/\bhttp-equiv\s*=\s*["']?refresh\b/i.test(tag)) continue;
    const content = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const delay = reloadDelayMs(content?.[1] ?? content?.[2] ?? content?.[3]);
    if (delay !== undefined) return delay;
  }
  return undefined;
}

/** What settle leaves: requests still going at its limit, and held ones (long polls) it did not wait for. */
export interface Unsettled {
  unfinished: string[];
  /** Fresh ones: no answer, or no end of it, for HELD_MS (those of an endpoint seen held before are not named). */
  held: string[];
}

/**
 * Run in every frame before its own scripts: remembers the latest trusted click (any button) the
 * frame received, and when, so a click a dialog interrupted can be checked for having reached it;
 * and the latest trusted key and release events (keydown, keyup, mouseup, drop, dragend) and characters
 * inserted as text ('insert', one per character), so a press, typing or drag a dialog interrupted can be
 * checked for what of it reached the page.
 */
const NOTE_INPUT = `(() => {
  const key = Symbol.for('rpa.lastClick');
  const note = (event) => { if (event.isTrusted) globalThis[key] = { target: event.target, at: Date.now() }; };
  for (const type of ['click', 'auxclick', 'contextmenu']) globalThis.addEventListener(type, note, true);
  // Kept long enough for a whole typing step (two events a key): a log cut in the middle of one counted its first keys lost.
  const inputs = (globalThis[Symbol.for('rpa.inputs')] = []);
  const keep = () => { if (inputs.length > 40000) inputs.splice(0, 20000); };
  const noteInput = (event) => {
    if (!event.isTrusted) return;
    inputs.push({ type: event.type, at: Date.now() });
    keep();
  };
  for (const type of ['keydown', 'keyup', 'mouseup', 'drop', 'dragend']) globalThis.addEventListener(type, noteInput, true);
  // Text inserted without a key (what Playwright sends for a character its keyboard has no key for, as an
  // IME does) reaches the page as a textInput of its own: one 'insert' per character. A key's own text comes
  // as a textInput between its keydown and keyup, with the key's character (Enter's is a line break).
  let keyText = '';
  globalThis.addEventListener('keydown', (event) => { if (event.isTrusted) keyText = event.key === 'Enter' ? '\\n' : event.key; }, true);
  globalThis.addEventListener('keyup', (event) => { if (event.isTrusted) keyText = ''; }, true);
  globalThis.addEventListener('textInput', (event) => {
    if (!event.isTrusted) return;
    const data = (event.data ?? '').replace('\\r', '\\n');
    if (keyText && data === keyText) {
      keyText = '';
      return;
    }
    for (const _char of data) inputs.push({ type: 'insert', at: Date.now() });
    keep();
  }, true);
})()`;

/** What of an action's input reached a page (BrowserSession.inputSince): trusted events by type, or undefined when that cannot be told. */
export type InputReached = Record<string, number> | undefined;

/** In the page: settles in a task after the ones queued now (a message channel, which no page timer throttling delays). */
const NEXT_TASK = 'new Promise((resolve) => { const channel = new MessageChannel(); channel.port1.onmessage = () => resolve(); channel.port2.postMessage(null); })';

/** Waits for `work` at most `ms`; its failure (a page closing meanwhile) is no concern here. */
function withLimit(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });
}

function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'data:' ? 'a data: URL' : `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'a request';
  }
}

/** Where Chromium shows a document it could not load (page.url() while it is shown). */
const CHROME_ERROR_PAGE = 'chrome-error://';

/** What a masked field shows in a page copy. */
export const FIELD_MASK = '••••••';

/** How long a dialog that came before any browser.dialog step armed waits for one (then it is dismissed, with a warning). */
const HOLD_DIALOG_MS = 2_000;

export class BrowserSession {
  private readonly pages: Page[] = [];
  private current: Page | undefined;
  private readonly armed: DialogAnswer[] = [];
  private readonly secretFields = new WeakMap<Page, Locator[]>();
  /** Problems found while answering dialogs; reported by the step that triggered them. */
  readonly dialogProblems: string[] = [];
  /** Requests on their way: the step (stepStarted count) during or after which each began, when, and when its answer's headers came. */
  private readonly inflight = new Map<Request, { step: number; at: number; answeredAt?: number }>();
  /** Endpoints (pollEndpoint) a request of which was held open HELD_MS or more: long polls. */
  private readonly heldEndpoints = new Set<string>();
  private steps = 0;
  /** The kind of the browser step started last. */
  private lastKind: string | undefined;
  /** Dialogs that came while no browser.dialog step was armed, held for one about to arm (a moment, or until it starts). */
  private readonly held: { dialog: Dialog; timer?: NodeJS.Timeout }[] = [];
  /** Set while a step followed by a waiting browser.dialog step runs: called when a dialog is held for that step. */
  private heldForNextStep: ((dialog: HeldDialog) => void) | undefined;
  /** Answers to dialogs the page opens on its own (browser.dialog with whenever), kept to the run's end. */
  private readonly standing: StandingAnswer[] = [];
  /**
   * Dialogs no step armed an answer for (answered by a standing answer, or dismissed) that opened so far, the
   * message of the latest: while one is open the browser drops input, so an action made at that moment
   * (a click of a step that ran as the page's timer fired) may never reach the page although it returned.
   */
  private unarmed = { count: 0, message: '' };
  /** Every dialog that opened so far, the message of the latest: one that opened during a press, typing or drag may have taken some of its input. */
  private opened = { count: 0, message: '' };
  /** The latest error document of each frame (a page's main frame, an iframe: errorPage), the address it showed at, and when it came. */
  private readonly errorPages = new WeakMap<Frame, { url: string; what: string; at: number; reloadsAt?: number }>();
  /** The document each frame is loading now (a navigation sent, no answer yet). */
  private readonly navigating = new WeakMap<Frame, Request>();
  /** Per page, the targets seen matching something on its current document, and when (noteSeen). */
  private readonly sightings = new WeakMap<Page, Map<string, Sighting>>();
  /** Dialogs dismissed because no answer was armed or standing when they opened: a standing answer declared later may have been meant for one. */
  private readonly dismissedUnarmed: { type: string; message: string; whileKind: string; reported?: boolean }[] = [];

  private constructor(
    readonly browser: Browser,
    readonly context: BrowserContext,
    private readonly log: SessionLog,
    /** False when the browser was given (LaunchOptions.browser): closing the session leaves it running. */
    private readonly ownsBrowser: boolean = true,
  ) {
    context.on('page', (page) => this.track(page));
    context.on('request', (request) => {
      if (!STREAMING.has(request.resourceType())) this.inflight.set(request, { step: this.steps, at: performance.now() });
    });
    context.on('response', (response) => {
      if (STREAMING_TYPES.test(response.headers()['content-type'] ?? '')) this.inflight.delete(response.request());
      const entry = this.inflight.get(response.request());
      if (entry) entry.answeredAt = performance.now();
    });
    context.on('requestfinished', (request) => this.ended(request));
    context.on('requestfailed', (request) => this.ended(request));
  }

  private ended(request: Request): void {
    const entry = this.inflight.get(request);
    this.inflight.delete(request);
    if (entry) this.learnHeld(request, entry, performance.now());
  }

  /** Notes the endpoint of `request` as a long poll's if the server held it with no answer HELD_MS or more; true if it did. */
  private learnHeld(request: Request, entry: { at: number; answeredAt?: number }, now: number): boolean {
    const endpoint = pollEndpoint(request);
    if (!endpoint || (entry.answeredAt ?? now) - entry.at < HELD_MS) return false;
    this.heldEndpoints.add(endpoint);
    return true;
  }

  /**
   * A browser step begins: requests from now on are its work (see settle). `holdForNextStep`:
   * the step after it is a browser.dialog step waiting for a dialog that opens after this one's
   * action. On a busy machine that dialog can open before the action returns (the click still
   * waiting for its answer from the page); it is held for that step, not dismissed, and the
   * promise returned says so — the action cannot return while the dialog is open, so the caller
   * must stop waiting for it. Without `holdForNextStep` the promise never settles.
   */
  stepStarted(kind?: string, holdForNextStep = false): Promise<HeldDialog> {
    this.steps++;
    this.lastKind = kind;
    this.heldForNextStep = undefined;
    // A step other than a dialog's: a dialog held for a browser.dialog step about to arm was none of its.
    if (kind !== 'browser.dialog') this.dismissHeld();
    return new Promise<HeldDialog>((resolve) => {
      if (holdForNextStep) this.heldForNextStep = resolve;
    });
  }

  /**
   * Lets the pages finish what the latest step started before the browser is closed: a click
   * returns as soon as it is made, while the page's work goes on (a save request, a message to
   * the window that opened a popup, which then sends its own). Each round lets every page run
   * the tasks it already has queued (so a queued message handler or a response's follow-up
   * starts its request), then waits for the step's requests to end. Streams are not waited
   * for (event sources, sockets, media, and answers that turn out to be streams: STREAMING_TYPES),
   * nor requests earlier steps left open, nor long polls: a script's GET to an endpoint the
   * server has held a request of open HELD_MS or more (the page asks again as soon as one
   * ends, so one of them is always going), or one that has had no answer for HELD_MS (named in
   * `held`). Returns the requests still going at `limitMs` (origin and path only: a query may hold anything).
   */
  async settle(limitMs: number): Promise<Unsettled> {
    // No step is left to answer a dialog held for one.
    this.dismissHeld();
    const since = this.steps;
    const deadline = performance.now() + limitMs;
    const held = new Set<string>();
    const waitsForHeld = waitForHeld();
    // A poll open since an earlier step, with no answer for long, makes its endpoint a long poll's already.
    for (const [request, entry] of this.inflight) this.learnHeld(request, entry, performance.now());
    const pending = (): Request[] => {
      const now = performance.now();
      return [...this.inflight].filter(([request, entry]) => {
        if (entry.step < since) return false;
        if (waitsForHeld) return true;
        const endpoint = pollEndpoint(request);
        if (!endpoint) return true;
        if (this.heldEndpoints.has(endpoint)) return false;
        // No answer for HELD_MS, or an answer begun that has not ended for HELD_MS since (a body the page never reads).
        if (now - (entry.answeredAt ?? entry.at) >= HELD_MS) {
          held.add(`${withoutQuery(request.url())} (${request.resourceType()})`);
          return false;
        }
        return true;
      }).map(([request]) => request);
    };
    const outcome = (): Unsettled => ({ unfinished: pending().map((request) => `${withoutQuery(request.url())} (${request.resourceType()})`), held: [...held] });
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      await Promise.all(this.openPages().map((page) => withLimit(page.evaluate(NEXT_TASK), Math.min(left, 2_000))));
      if (pending().length === 0) return outcome();
      while (pending().length > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return outcome();
  }

  /**
   * Starts the browser within `launchTimeoutMs`. Starting is not stoppable half-way: when the
   * caller stops waiting (the limit passed, or `signal` aborted because the run was cancelled
   * or ended), a browser that still comes up afterwards is closed at once.
   */
  static async launch(options: LaunchOptions): Promise<BrowserSession> {
    const { signal, launchTimeoutMs, executablePath } = options;
    if (signal.aborted) throw new CancelledError('run cancelled');
    const starting = BrowserSession.start(options);
    return new Promise<BrowserSession>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        outcome();
        return true;
      };
      const tooSlow = (): RpaError =>
        new TimeoutError(
          `the browser did not start within ${launchTimeoutMs} ms (${executablePath}). A busy machine can need longer: raise the limit with ${options.limitSource ?? 'settings.json browser.launchTimeoutMs or RPA_BROWSER_LAUNCH_TIMEOUT_MS'}`,
          { launchTimeoutMs, executablePath },
        );
      const onAbort = (): void => void settle(() => reject(new CancelledError('run cancelled')));
      const timer = setTimeout(() => settle(() => reject(tooSlow())), launchTimeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      starting.then(
        (session) => {
          // Nobody waits for this browser any more: close it rather than leave it running.
          if (!settle(() => resolve(session))) void session.close();
        },
        // Playwright's own limit is the same one: say it in the same words.
        (error: unknown) => settle(() => reject(!(error instanceof Error) ? new Error(String(error)) : error.name === 'TimeoutError' ? tooSlow() : error)),
      );
    });
  }

  private static async start(options: LaunchOptions): Promise<BrowserSession> {
    if (options.browser) {
      if (!options.browser.isConnected()) throw new RpaError('the browser this run was given to open its context in is closed');
      const context = await options.browser.newContext(BrowserSession.contextOptions(options));
      try {
        await context.addInitScript(NOTE_INPUT);
        const session = new BrowserSession(options.browser, context, options.log, false);
        session.current = await context.newPage();
        return session;
      } catch (error) {
        await context.close().catch(() => undefined);
        throw error;
      }
    }
    // Loaded on first use: importing playwright-core costs ~0.4 s, and runs without a
    // browser (or `rpa validate`, `rpa runs`) should not pay it.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: options.executablePath,
      headless: options.headless,
      args: CHROMIUM_ARGS,
      timeout: options.launchTimeoutMs,
      ...(options.env ? { env: options.env } : {}),
      // The host (rpa run, the agent) answers Ctrl+C / SIGTERM itself: it cancels the run,
      // which closes the browser; Playwright's own handlers would exit the process under it.
      handleSIGINT: false,
      handleSIGTERM: false,
    });
    try {
      const context = await browser.newContext(BrowserSession.contextOptions(options));
      await context.addInitScript(NOTE_INPUT);
      const session = new BrowserSession(browser, context, options.log);
      session.current = await context.newPage();
      return session;
    } catch (error) {
      await browser.close().catch(() => undefined);
      throw error;
    }
  }

  private static contextOptions(options: LaunchOptions): { viewport: { width: number; height: number }; acceptDownloads: true } {
    return { viewport: options.viewport ?? { width: 1280, height: 800 }, acceptDownloads: true };
  }

  private track(page: Page): void {
    if (this.pages.includes(page)) return;
    this.pages.push(page);
    page.on('dialog', (dialog) => void this.answer(dialog));
    // The document of one of the page's frames (its main frame, an iframe): an error the server answered with, or one the browser could not load.
    const documentOf = (request: Request): Frame | undefined => (request.isNavigationRequest() ? request.frame() : undefined);
    const answered = (frame: Frame, request: Request): void => {
      if (this.navigating.get(frame) === request) this.navigating.delete(frame);
    };
    page.on('request', (request) => {
      const frame = documentOf(request);
      if (frame) this.navigating.set(frame, request);
    });
    page.on('response', (response) => {
      const frame = documentOf(response.request());
      if (!frame) return;
      answered(frame, response.request());
      const status = response.status();
      if (status >= 400) {
        const error: { url: string; what: string; at: number; reloadsAt?: number } = { url: response.url(), what: `HTTP ${status}${response.statusText() ? ` ${response.statusText()}` : ''} from ${response.url()}`, at: Date.now() };
        this.errorPages.set(frame, error);
        // An error page that says when it will load again (Refresh, Retry-After, a meta refresh) is given until then.
        const header = reloadDelayMs(response.headers()['refresh'] ?? response.headers()['retry-after']);
        if (header !== undefined) error.reloadsAt = error.at + header;
        else void response.text().then((body) => {
          const meta = metaRefreshMs(body);
          if (meta !== undefined) error.reloadsAt = error.at + meta;
        }, () => undefined);
      } else if (status < 300) this.errorPages.delete(frame); // a redirect (3xx) is on its way to the document
    });
    page.on('requestfailed', (request) => {
      const error = request.failure()?.errorText ?? 'a network error';
      const frame = documentOf(request);
      if (frame) answered(frame, request);
      // An aborted load was replaced by another (or became a download): no error page follows it.
      if (!frame || error === 'net::ERR_ABORTED') return;
      this.errorPages.set(frame, { url: CHROME_ERROR_PAGE, what: `${error} loading ${request.url()}`, at: Date.now() });
    });
    page.on('close', () => {
      const index = this.pages.indexOf(page);
      if (index >= 0) this.pages.splice(index, 1);
    });
  }

  private async answer(dialog: Dialog): Promise<void> {
    const message = dialog.message();
    this.opened = { count: this.opened.count + 1, message };
    // A dialog the page opens on its own, when no step armed an answer saying the same: its standing answer.
    const standing = this.standing.find((s) => s.answer.expectMessage === undefined || message.includes(s.answer.expectMessage));
    if (standing && !this.armed.some((a) => a.expectMessage !== undefined && message.includes(a.expectMessage))) {
      this.unarmed = { count: this.unarmed.count + 1, message };
      standing.seen++;
      await this.answerWith(dialog, standing.answer);
      return;
    }
    const answer = this.armed.shift();
    if (!answer) {
      // No browser.dialog step is armed yet. Right after a dialog step it may have come a moment before the next dialog
      // step armed (a dialog that follows another through a message, on a busy machine): it is held until that step
      // arms or HOLD_DIALOG_MS pass. During a step whose next step waits for a dialog it is held until that step arms
      // (the runner ends the step that is stalled behind it: stepStarted). During any other step it is dismissed at
      // once — held, it would stall that step.
      const forNextStep = this.heldForNextStep;
      if (forNextStep) {
        this.held.push({ dialog });
        this.heldForNextStep = undefined;
        forNextStep({ type: dialog.type(), message });
        return;
      }
      if (this.lastKind !== 'browser.dialog') {
        this.unarmed = { count: this.unarmed.count + 1, message };
        this.dismissedUnarmed.push({ type: dialog.type(), message, whileKind: this.lastKind ?? 'no step' });
        this.log('warn', `unexpected ${dialog.type()} "${dialog.message()}" was dismissed; add a browser.dialog step before the step that opens it`);
        await dialog.dismiss().catch(() => undefined);
        return;
      }
      const held: { dialog: Dialog; timer?: NodeJS.Timeout } = { dialog };
      held.timer = setTimeout(() => this.dismissHeld(held), HOLD_DIALOG_MS);
      this.held.push(held);
      return;
    }
    await this.answerWith(dialog, answer);
  }

  /** Dismisses dialogs held for a step that did not come (all of them, or `only`). */
  private dismissHeld(only?: { dialog: Dialog; timer?: NodeJS.Timeout }): void {
    for (const held of only ? [only] : [...this.held]) {
      const index = this.held.indexOf(held);
      if (index < 0) continue;
      this.held.splice(index, 1);
      clearTimeout(held.timer);
      this.unarmed = { count: this.unarmed.count + 1, message: held.dialog.message() };
      this.dismissedUnarmed.push({ type: held.dialog.type(), message: held.dialog.message(), whileKind: 'browser.dialog' });
      this.log('warn', `unexpected ${held.dialog.type()} "${held.dialog.message()}" was dismissed; add a browser.dialog step before the step that opens it`);
      void held.dialog.dismiss().catch(() => undefined);
    }
  }

  private async answerWith(dialog: Dialog, answer: DialogAnswer): Promise<void> {
    const message = dialog.message();
    try {
      if (answer.expectMessage !== undefined && !message.includes(answer.expectMessage)) {
        this.dialogProblems.push(`the ${dialog.type()} said "${message}", expected it to contain "${answer.expectMessage}" (browser.dialog at step ${answer.armedBy})`);
      }
      answer.onDialog(message);
      this.log('info', `${dialog.type()} "${message}" → ${answer.action}`);
      answer.answered?.();
      if (answer.action === 'accept') await dialog.accept(answer.promptText);
      else await dialog.dismiss();
    } catch (error) {
      // The page may have gone away while the dialog was open; nothing is waiting on it then.
      this.log('warn', `could not answer dialog "${message}": ${(error as Error).message}`);
    }
  }

  armDialog(answer: DialogAnswer): void {
    const held = this.held.shift();
    if (held) {
      clearTimeout(held.timer);
      void this.answerWith(held.dialog, answer);
      return;
    }
    this.armed.push(answer);
  }

  /**
   * Answers every dialog whose message contains `answer.expectMessage` (any dialog without one)
   * from now to the run's end, whenever it opens: one the page opens on its own. The same answer
   * armed again is the one already standing. Returns it: how many dialogs it answered so far.
   */
  standDialog(answer: DialogAnswer): StandingAnswer {
    const same = this.standing.find((s) => s.answer.action === answer.action && s.answer.promptText === answer.promptText && s.answer.expectMessage === answer.expectMessage);
    if (same) return same;
    const standing: StandingAnswer = { answer, seen: 0, waited: 0 };
    this.standing.push(standing);
    // One the page opened before this answer was declared, dismissed then: the page went on with another answer than the one
    // declared for it (an alert's is the same either way). The run must not pass as if it had been answered.
    // One declared to be dismissed got that answer: not an unexpected dialog any more (unexpectedDialogs).
    for (const gone of [...this.dismissedUnarmed]) {
      if (gone.type === 'alert' || gone.reported || (answer.expectMessage !== undefined && !gone.message.includes(answer.expectMessage))) continue;
      this.dismissedUnarmed.splice(this.dismissedUnarmed.indexOf(gone), 1);
      if (answer.action === 'accept') {
        this.dialogProblems.push(`the ${gone.type} "${gone.message.slice(0, 80)}" opened before its answer was declared (during a ${gone.whileKind} step) and was dismissed, not accepted as browser.dialog at step ${answer.armedBy} says; the page went on with that`);
      }
    }
    // One held for a step about to arm may be the page's own.
    for (const held of [...this.held]) {
      if (answer.expectMessage !== undefined && !held.dialog.message().includes(answer.expectMessage)) continue;
      this.held.splice(this.held.indexOf(held), 1);
      clearTimeout(held.timer);
      this.unarmed = { count: this.unarmed.count + 1, message: held.dialog.message() };
      standing.seen++;
      void this.answerWith(held.dialog, answer);
    }
    return standing;
  }

  /**
   * Dialogs whose answer decides something (confirm, prompt, beforeunload) that opened with no answer
   * armed or standing and were dismissed, not taken before: the page went on as told Cancel, which
   * no step of the recording said. Each is returned once, as the reason its step fails. (An alert has
   * only one answer: dismissing it is accepting it, so it is only warned about.)
   */
  unexpectedDialogs(): string[] {
    const reasons: string[] = [];
    for (const gone of this.dismissedUnarmed) {
      if (gone.type === 'alert' || gone.reported) continue;
      gone.reported = true;
      reasons.push(
        `the page opened a ${gone.type} "${gone.message.slice(0, 80)}" (during a ${gone.whileKind} step) that no step answers; it was dismissed, so the page went on as told Cancel. Add a browser.dialog step with its answer before the step that opens it (with whenever: true when the page opens it on its own)`,
      );
    }
    return reasons;
  }

  /** How many dialogs no step armed an answer for opened so far, and the message of the latest (see `unarmed`). */
  unarmedDialogs(): { count: number; message: string } {
    return this.unarmed;
  }

  /**
   * Whether a trusted click reached `locator`'s element (or one inside it) at or after `since`
   * (Date.now()); undefined when that cannot be told (the element or its page is gone: the click did something).
   */
  async clickReached(locator: Locator, since: number): Promise<boolean | undefined> {
    try {
      return await locator.evaluate(
        (element: { contains(other: unknown): boolean }, at: number): boolean => {
          const last = (globalThis as unknown as Record<symbol, { target: unknown; at: number } | undefined>)[Symbol.for('rpa.lastClick')];
          return !!last && last.at >= at && (last.target === element || element.contains(last.target));
        },
        since,
        { timeout: 2_000 },
      );
    } catch {
      return undefined;
    }
  }

  /** How many dialogs opened so far (armed, standing, held or dismissed), and the message of the latest. */
  dialogsOpened(): { count: number; message: string } {
    return this.opened;
  }

  /**
   * The trusted key and release events (keydown, keyup, mouseup, drop, dragend: NOTE_INPUT) the frames
   * of `page` received at or after `since` (Date.now()), oldest first; undefined when that cannot be
   * told: a frame's document began after `since` (the action navigated, or loaded a frame), or a frame
   * did not answer within 2 s. Asking waits for any dialog open in the page to be answered: script
   * does not run meanwhile.
   */
  async inputSince(page: Page, since: number): Promise<string[] | undefined> {
    const ask = (frame: Frame): Promise<{ origin: number; events: { type: string; at: number }[] | null }> =>
      frame.evaluate((at: number) => {
        const log = (globalThis as unknown as Record<symbol, { type: string; at: number }[] | undefined>)[Symbol.for('rpa.inputs')];
        return { origin: performance.timeOrigin, events: log ? log.filter((event) => event.at >= at) : null };
      }, since);
    try {
      const answers = await Promise.all(
        page.frames().map((frame) =>
          Promise.race([ask(frame), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2_000).unref())]),
        ),
      );
      const events: { type: string; at: number }[] = [];
      for (const answer of answers) {
        if (!answer || answer.origin > since) return undefined;
        events.push(...(answer.events ?? []));
      }
      return events.sort((a, b) => a.at - b.at).map((event) => event.type);
    } catch {
      return undefined;
    }
  }

  /**
   * Ends a drag the page still has going whose drop was lost (a dialog took it): until then the page
   * takes no new drag. Its source gets dragend, nothing is dropped. No drag going: nothing happens.
   */
  async cancelDrag(page: Page): Promise<void> {
    try {
      const cdp = await this.context.newCDPSession(page);
      await cdp.send('Input.dispatchDragEvent', { type: 'dragCancel', x: 0, y: 0, data: { items: [], dragOperationsMask: 1 } }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    } catch {
      // Not a Chromium page, or the page went away: there is no drag left to end.
    }
  }

  /**
   * When `frame` (a page's main frame, an iframe) shows an error page — its document came with an HTTP error
   * status, or could not be loaded (the browser's own error page) — what error, and since when; undefined
   * on any other document (one it went on to, a reload that worked, another address it moved to itself).
   */
  private frameError(frame: Frame): { what: string; since: number } | undefined {
    const error = this.errorPages.get(frame);
    // Loading another document (a reload of its own, by its timer or its meta refresh): what it becomes is not known yet.
    if (!error || this.navigating.has(frame)) return undefined;
    const url = frame.url();
    const still = error.url === CHROME_ERROR_PAGE ? url.startsWith(CHROME_ERROR_PAGE) : url === error.url;
    if (!still) return undefined;
    const reloads = error.reloadsAt !== undefined ? `, which said it would load again ${Math.round((error.reloadsAt - error.at) / 1000)} s after it came and did not` : '';
    return { what: `${error.what}${reloads}`, since: Math.max(error.at, error.reloadsAt ?? 0) };
  }

  /**
   * The error page a target inside the iframes `frames` (CSS selectors, outermost first) cannot be found in:
   * the page's own, or that of one of those frames (named by its selectors), the outermost first.
   * Undefined when none of them is one, or a frame is not there (yet).
   */
  async errorPageOnTheWay(page: Page, frames: readonly string[] | undefined): Promise<{ what: string; since: number; frame?: string } | undefined> {
    let frame = page.mainFrame();
    for (let depth = 0; ; depth++) {
      const error = this.frameError(frame);
      if (error) return depth === 0 ? error : { ...error, frame: frames!.slice(0, depth).join(' > ') };
      if (!frames || depth >= frames.length) return undefined;
      const handle = await frame.locator(frames[depth]!).first().elementHandle({ timeout: 100 }).catch(() => null);
      if (!handle) return undefined;
      const child = await handle.contentFrame().catch(() => null);
      void handle.dispose().catch(() => undefined);
      if (!child) return undefined;
      frame = child;
    }
  }

  /**
   * True while a page of the session waits for a request (a document, a script's fetch) that is not a
   * stream nor one of an endpoint it long-polls: what it shows may still be about to change with its answer.
   */
  networkBusy(): boolean {
    const now = performance.now();
    for (const [request, entry] of this.inflight) {
      const endpoint = pollEndpoint(request);
      if (!endpoint) return true;
      if (this.heldEndpoints.has(endpoint) || now - (entry.answeredAt ?? entry.at) >= LONG_OPEN_MS) continue;
      return true;
    }
    return false;
  }

  /**
   * Notes that `target` (rendered; its candidates and frames) matched something on `page` just now: `how`
   * says which candidate and by whom ("css=#go → 1 match, looked for when step 2 began"). Kept until the
   * page's document changes (a navigation, a history change of a single-page application).
   */
  noteSeen(page: Page, target: Target, how: string): void {
    let seen = this.sightings.get(page);
    if (!seen) {
      seen = new Map();
      this.sightings.set(page, seen);
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) this.sightings.get(page)?.clear();
      });
    }
    seen.set(sightingKey(target), { at: Date.now(), how });
  }

  /** When `target` was last seen matching something on `page`'s current document (noteSeen), if it was. */
  lastSeen(page: Page, target: Target): Sighting | undefined {
    return this.sightings.get(page)?.get(sightingKey(target));
  }

  /**
   * Counts the candidates of `target` on the current page without waiting, noting (noteSeen) whether one
   * matches: the runner looks for the next step's element when a step begins, so that the next step can
   * tell an element the page removed in between from one the page has yet to show. Never fails.
   */
  async lookFor(target: Target, by: string): Promise<void> {
    try {
      const page = this.page;
      for (const [index, locator] of candidateLocators(page, target).entries()) {
        const count = await locator.count();
        if (count > 0) return this.noteSeen(page, target, `${describeLocator(target.candidates[index]!)} → ${count} match${count === 1 ? '' : 'es'}, ${by}`);
      }
    } catch {
      // The tab closed or navigated meanwhile, a frame was not there: nothing seen.
    }
  }

  /** Takes back an answer whose dialog never came (a waiting browser.dialog step gave up). */
  disarmDialog(answer: DialogAnswer): void {
    const index = this.armed.indexOf(answer);
    if (index >= 0) this.armed.splice(index, 1);
  }

  /** browser.dialog steps whose dialog never came. */
  unusedDialogAnswers(): string[] {
    return this.armed.map((a) => a.armedBy);
  }

  get page(): Page {
    if (!this.current || this.current.isClosed()) {
      throw new RpaError('the current tab was closed; add a browser.switchTab step to continue in another tab');
    }
    return this.current;
  }

  openPages(): Page[] {
    return this.pages.filter((p) => !p.isClosed());
  }

  async switchTo(page: Page): Promise<void> {
    this.current = page;
    await page.bringToFront();
  }

  /**
   * A field was filled from a secret: screenshots of its page mask it and page copies blank
   * it, from now on and whatever step takes them.
   */
  rememberSecretField(locator: Locator): void {
    const page = locator.page();
    const fields = this.secretFields.get(page) ?? [];
    fields.push(locator);
    this.secretFields.set(page, fields);
  }

  private secretFieldsOf(page: Page): Locator[] {
    return this.secretFields.get(page) ?? [];
  }

  /** A screenshot of the page (or of one element on it) with every secret field masked. */
  async screenshot(page: Page, options: { element?: Locator; fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number }; scale?: 'css' | 'device'; timeout: number }): Promise<Buffer> {
    const mask = this.secretFieldsOf(page);
    const settings = { timeout: options.timeout, ...(mask.length ? { mask } : {}), ...(options.scale ? { scale: options.scale } : {}) };
    if (options.element) return options.element.screenshot(settings);
    return page.screenshot({ ...settings, fullPage: options.fullPage ?? false, ...(options.clip ? { clip: options.clip } : {}) });
  }

  /** The page's HTML with the values of secret fields replaced by a mask. */
  async html(page: Page): Promise<string> {
    const fields = this.secretFieldsOf(page);
    if (!fields.length) return page.content();
    return maskedPageHtml(page, fields, FIELD_MASK);
  }

  async close(): Promise<void> {
    for (const held of this.held.splice(0)) clearTimeout(held.timer);
    await this.context.close().catch(() => undefined);
    if (this.ownsBrowser) await this.browser.close().catch(() => undefined);
  }
}
