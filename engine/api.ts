// The engine's one API. The CLI calls it in-process; the desktop app and `rpa studio`
// will reach the same calls over IPC / WebSocket.
import { openCentralQueue } from './queue/central.js';
import path from 'node:path';
import { runCloseHooks } from './close-hooks.js';
import { extractForRun } from './package/index.js';
import { effectiveModels, packageRequirements } from './policy/effective.js';
import { loadPolicy, PolicyViolationError, requirePolicy, type Policy, type PolicyState } from './policy/policy.js';
import { desktopPreflight, usesDesktop } from './desktop/preflight.js';
import type { Browser } from 'playwright-core';
import type { PackageRef, RunEvent } from './events.js';
import { MissingSecretError, UsageError } from './errors.js';
import { apiKeySecretsFor, ModelProviders, shadowKeySecretsFor } from './ai/registry.js';
import { localProvider } from './ai/local.js';
import { decide, type ReviewAnswer } from './review/decide.js';
import { learnFromReview } from './review/learn-from-review.js';
import type { TemplateStore } from './extract/learn/template-store.js';
import { AlreadyResumedError, type ResumeState } from './review/pause.js';
import { assertDisplayReachable, CheckedResumeDisplay, describeDisplay, displayEnvOf, DisplayUnavailableError, sameDisplay, withDisplay, type DisplayAsker, type DisplayEnv } from './runner/display-env.js';
import type { ReviewDecision, ReviewTask } from './review/review-store.js';
import { isProcessAlive } from './store/is-process-alive.js';
import { abortableSleep } from './runner/timing.js';
import { loadAutomation, requiredSecrets, type LoadedAutomation } from './format/load.js';
import { readSettings, resolveHome, type RpaHome, type Settings } from './home.js';
import { findBrowser } from './runner/browser-finder.js';
import { launchTimeoutFrom } from './runner/launch-timeout.js';
import { Run, type RunOptions, type RunResult } from './runner/runner.js';
import { envSecretProvider, resolveSecrets, type SecretProvider } from './secrets.js';
import type { AuditOutbox } from './sync/outbox.js';
import { otlpTracesUrl, RunTracer } from './telemetry/run-tracer.js';
import { SqliteWorkQueue, type WorkQueue } from './queue/index.js';
import { Vault, vaultSecretProvider, type VaultKeySource } from './vault/vault.js';
import { borrowDatabase, openDatabase, type Database } from './store/database.js';
import { RunStore, type ListRunsOptions, type RunDetail, type RunSummary } from './store/run-store.js';

export type { RunResult } from './runner/runner.js';
export type { RunDetail, RunSummary } from './store/run-store.js';
export type { ReviewTask } from './review/review-store.js';
export type { ReviewAnswer } from './review/decide.js';

/** How often a process waiting for a review (rpa run --wait-review) looks at the store. */
const REVIEW_POLL_MS = 500;

export interface ResolveReviewResult {
  task: ReviewTask;
  /** The resumed run's result, when this call resumed it. */
  result?: RunResult;
  /** Why the run was not resumed here (another process waits for it, or resume: false). */
  note?: string;
  /** The layout template the local reader learned (or updated) from this review's values. */
  learned?: { id: string; version: number; fields: string[] };
}

export interface EngineOptions {
  env?: NodeJS.ProcessEnv;
  secrets?: SecretProvider;
  /** Where the vault key comes from (e.g. Electron safeStorage); default RPA_VAULT_KEY or <RPA_HOME>/vault.key. */
  vaultKey?: VaultKeySource;
}

export interface StartRunRequest {
  file: string;
  /**
   * In-process callers only (it cannot cross a process boundary): a browser already running
   * (playwright-core) in which this run's browser.open opens a context of its own (its own
   * cookies, storage and pages, closed when the run ends; the browser is left running).
   * Default: the run launches its own browser (settings.json browser.*) and closes it.
   */
  browser?: Browser;
  inputs?: Record<string, unknown>;
  headed?: boolean;
  signal?: AbortSignal;
  /** Stop the run (status timed_out) when it takes longer than this. */
  maxRunMs?: number;
  /** What started the run: manual, schedule:<id>, folder:<path>, queue:<item id>. Logged. */
  trigger?: string;
  /** Wait in this process when a step asks for a review, instead of pausing the run and returning. */
  waitReview?: boolean;
  /** The studio's debugger (breakpoints, step-through): awaited before each step. */
  debug?: RunOptions['debug'];
  /** Where relative file inputs are from (the folder `rpa run` was typed in); default this process's. */
  inputsDir?: string;
  /** Secrets to fall back on after this engine's own (the RPA_SECRET_* of the `rpa run` that asked the host). */
  secrets?: SecretProvider;
  /**
   * The display of the terminal that asked the host for this run: a visible browser opens there.
   * Desktop steps act on the host's own display only; another one is refused before the run.
   */
  display?: DisplayEnv;
}

export type RunEventListener = (event: RunEvent) => void;

export class Engine {
  private readonly listeners = new Set<RunEventListener>();
  /**
   * Paused runs a caller of this process is about to resume itself (its review just resolved):
   * the review resumer leaves them alone, so the run resumes with that caller's display and
   * secrets rather than the host's.
   */
  private readonly resumingHere = new Map<string, number>();
  private openedQueue: SqliteWorkQueue | undefined;
  /** Runs found 'running' from a process that is gone, marked interrupted at open. */
  readonly interruptedAtOpen: string[];

  private constructor(
    readonly home: RpaHome,
    private readonly store: RunStore,
    private readonly env: NodeJS.ProcessEnv,
    private readonly secrets: SecretProvider,
    private readonly db: Database,
    private readonly vault?: Vault,
  ) {
    this.interruptedAtOpen = store.markInterrupted();
    const tracesUrl = otlpTracesUrl(env);
    if (tracesUrl) {
      this.tracer = new RunTracer(tracesUrl);
      this.listeners.add(this.tracer.onEvent);
    }
  }

  private readonly tracer: RunTracer | undefined;

  /** Sends buffered telemetry (OpenTelemetry spans) before the process exits. */
  async flush(): Promise<void> {
    await this.tracer?.flush();
  }

  static open(options: EngineOptions = {}): Engine {
    const env = options.env ?? process.env;
    const home = resolveHome(env);
    // One connection for the whole engine: the run store owns it (closes it last), the vault,
    // the work queue and whoever asks for engine.database borrow it.
    const db = openDatabase(home.storeFile);
    const store = new RunStore(db);
    let vault: Vault | undefined;
    try {
      if (!options.secrets) vault = Vault.open(home, env, { db: borrowDatabase(db), ...(options.vaultKey ? { keySource: options.vaultKey } : {}) });
    } catch (error) {
      store.close();
      throw error;
    }
    // Secrets: the encrypted vault first, then RPA_SECRET_<NAME> from the environment.
    const secrets = options.secrets ?? vaultSecretProvider(vault!, envSecretProvider(env));
    return new Engine(home, store, env, secrets, db, vault);
  }

  /**
   * The engine's connection to the store, for other stores of the same process (schedules,
   * automation versions, folder triggers): close() on it does nothing; Engine.close() closes it.
   */
  get database(): Database {
    return borrowDatabase(this.db);
  }

  /** Loads and validates an automation; throws AutomationInvalidError with every problem. */
  validate(file: string): LoadedAutomation {
    return loadAutomation(file);
  }

  /** Every run event of every run started through this engine. Returns the unsubscribe function. */
  subscribe(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Values of named secrets (vault first, then RPA_SECRET_<NAME>), for a recorder that must
   * recognise them when they are typed; throws MissingSecretError naming where to put a missing one.
   */
  secretValues(names: readonly string[], usedBy: string): Map<string, string> {
    const values = resolveSecrets(names, this.secrets, usedBy);
    for (const [name, value] of values) {
      if (value.length < 2) throw new MissingSecretError(`secret "${name}" is a single character; that cannot be recognised or kept out of files safely`);
    }
    return values;
  }

  /**
   * Validates, checks inputs and secrets, then runs. Anything wrong before the first step
   * throws (and records nothing); once started, the outcome is in the result and the store.
   */
  async run(request: StartRunRequest, onEvent?: RunEventListener): Promise<RunResult> {
    // The machine policy first: an invalid one refuses every run (fail closed).
    const policy = requirePolicy(this.policyState());
    const { automation, pkg } = this.openAutomation(request.file, policy);
    const provider = request.secrets ? fallBackOn(this.secrets, request.secrets) : this.secrets;
    const secretNames = requiredSecrets(automation);
    const secrets = secretNames.size ? resolveSecrets(secretNames, provider, automation.displayFile) : new Map<string, string>();
    const settings = readSettings(this.home);
    const headless = request.headed ? false : (settings.browser?.headless ?? true);
    const browserEnv = await this.displayFor(request.display, usesDesktop(automation.doc), headless);
    // No display (or no accessibility permission on macOS): say so before anything runs.
    if (usesDesktop(automation.doc)) await desktopPreflight(this.env);
    for (const [name, value] of secrets) {
      if (value.length < 2) throw new MissingSecretError(`secret "${name}" is a single character; that cannot be kept out of logs safely`);
    }
    const run = new Run(automation, {
      ...(browserEnv ? { browserEnv } : {}),
      ...(request.browser ? { browser: request.browser } : {}),
      inputs: request.inputs ?? {},
      ...(request.inputsDir ? { inputsDir: request.inputsDir } : {}),
      headless,
      secrets,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.maxRunMs ? { maxRunMs: request.maxRunMs } : {}),
      ...(request.trigger ? { trigger: request.trigger } : {}),
      ...(request.debug ? { debug: request.debug } : {}),
      ...(pkg ? { package: pkg } : {}),
      ...(request.waitReview ? { waitForReview: (reviewId: string, signal: AbortSignal) => this.waitForReview(reviewId, signal) } : {}),
      ...this.runServices(automation, settings, policy, onEvent, provider),
    });
    return run.execute();
  }

  /**
   * The environment of a run's browser when a caller with a display of its own (a terminal
   * asking the host) asked for it: the caller's display, checked reachable. Undefined: this
   * process's own. A desktop bot asked from another display is refused: its steps act through
   * this process's own X connection, so on this process's display.
   */
  private async displayFor(display: DisplayEnv | undefined, desktop: boolean, headless: boolean): Promise<NodeJS.ProcessEnv | undefined> {
    if (!display || (!display.DISPLAY && !display.WAYLAND_DISPLAY)) return undefined;
    const own = displayEnvOf(this.env);
    if (desktop && !sameDisplay(display, own)) {
      throw new DisplayUnavailableError(
        `this run has desktop steps and was asked from a terminal on ${describeDisplay(display)}, but the engine host (pid ${process.pid}) acts on ${describeDisplay(own)}: it was not run, rather than act on another screen. Run it from the host's own session, or without the engine host (stop rpa agent / the app)`,
        { display, hostDisplay: own },
      );
    }
    if (headless) return undefined;
    return await this.browserEnvFor(display);
  }

  /**
   * The environment of a visible browser asked for by a caller on `display` (a terminal, or a
   * studio attached to the host: its runs, resumes and recordings): that display, checked
   * reachable. Undefined: this process's own display (none given, or the same).
   */
  async browserEnvFor(display: DisplayEnv | undefined, asker?: DisplayAsker): Promise<NodeJS.ProcessEnv | undefined> {
    if (!display || (!display.DISPLAY && !display.WAYLAND_DISPLAY) || sameDisplay(display, displayEnvOf(this.env))) return undefined;
    await assertDisplayReachable(display, `the engine host (pid ${process.pid})`, this.env, asker);
    return withDisplay(process.env, display);
  }

  /** The machine policy as it is now on disk (read at every run: IT may change it any time). */
  policyState(): PolicyState {
    return loadPolicy(this.env);
  }

  /**
   * Loads an automation from a file or a package. A package (.rpapkg) is verified (every
   * file's hash, the signature) and unpacked into a cache keyed by its hash; when the policy
   * requires signatures, only a package signed by a trusted publisher is accepted.
   */
  openAutomation(file: string, policy: Policy | undefined): { automation: LoadedAutomation; pkg?: PackageRef } {
    const requirements = packageRequirements(policy);
    if (!file.endsWith('.rpapkg')) {
      if (requirements.requireSignature) {
        throw new PolicyViolationError(`this machine's policy only runs signed automation packages (.rpapkg from a trusted publisher); ${file} is a plain automation file. Ask your automation team for the signed package (rpa pack, then rpa sign).`, {
          // Which rule refused it: the tray words it for staff without the file's path.
          rule: 'automations.requireSigned',
        });
      }
      return { automation: loadAutomation(file) };
    }
    const extracted = extractForRun(file, { cacheDir: path.join(this.home.dir, 'packages'), ...requirements });
    const pkg: PackageRef = { file: path.resolve(file), sha256: extracted.sha256, ...(extracted.signer ? { signer: extracted.signer } : {}) };
    return { automation: loadAutomation(extracted.automationFile), pkg };
  }

  /** What every run gets from the engine: browser, artifacts, queue, model providers, the event fan-out. */
  private runServices(automation: LoadedAutomation, settings: Settings, policy: Policy | undefined, onEvent?: RunEventListener, secretProvider: SecretProvider = this.secrets) {
    // The policy's list of model endpoints replaces the user's own.
    const modelSettings = effectiveModels(settings.models, policy);
    const keyNames = apiKeySecretsFor(automation, modelSettings);
    const apiKeys = keyNames.length ? resolveSecrets(keyNames, secretProvider, automation.displayFile) : new Map<string, string>();
    // A shadow's key is looked up leniently: without it the shadow fails (a warning), the run goes on.
    for (const name of shadowKeySecretsFor(automation, modelSettings)) {
      if (apiKeys.has(name)) continue;
      let key: string | undefined;
      try {
        key = secretProvider.get(name);
      } catch {
        key = undefined;
      }
      if (key && key.length >= 2) apiKeys.set(name, key);
    }
    const models = new ModelProviders(modelSettings, apiKeys, () => localProvider(this.store.templates));
    return {
      browserPath: () => findBrowser({ configured: settings.browser?.executablePath, env: this.env }),
      launchTimeout: launchTimeoutFrom({ configured: settings.browser?.launchTimeoutMs, settingsFile: this.home.settingsFile, env: this.env }),
      artifactsDir: this.home.artifactsDir,
      // Decided as the run starts and sealed with each failure screenshot's record (the sync checks the policy again before sending).
      uploadFailureScreenshots: policy?.failureScreenshots?.upload === true,
      workQueue: (server?: string) => (server === undefined ? this.queue : openCentralQueue(this.home, server)),
      models: () => models,
      maskValues: [...apiKeys.values()],
      onEvent: (event: RunEvent) => {
        // The store first: a listener that reads the store sees what the event says.
        this.store.record(event);
        onEvent?.(event);
        for (const listener of this.listeners) listener(event);
      },
    };
  }

  private async waitForReview(reviewId: string, signal: AbortSignal): Promise<{ decision: ReviewDecision; lastSeq: number }> {
    for (;;) {
      const task = this.store.reviews.get(reviewId);
      if (task?.decision) {
        const state = this.store.pausedState(task.runId);
        if (state) return { decision: task.decision, lastSeq: state.lastSeq };
        // Decided, and no longer paused: someone resumed it (or ended it) instead of this process.
        throw this.notPaused(task.runId);
      }
      await abortableSleep(REVIEW_POLL_MS, signal);
    }
  }

  /** Layout templates the local reader learned from reviews: list, show (any stored version), export, import, remove. */
  templates(): TemplateStore {
    return this.store.templates;
  }

  /** Open review tasks, oldest first (with `all`, resolved ones too). */
  listReviews(options: { all?: boolean } = {}): ReviewTask[] {
    return this.store.reviews.list(options);
  }

  getReview(idOrPrefix: string): ReviewTask | undefined {
    const id = this.store.reviews.resolveId(idOrPrefix);
    return id === undefined ? undefined : this.store.reviews.get(id);
  }

  /**
   * Records a reviewer's decision, then resumes the paused run in this process (unless a live
   * process waits for it, or `resume` is false: the agent resumes it). Corrections and
   * approvals need the automation unchanged since the run paused; a rejection does not.
   */
  async resolveReview(idOrPrefix: string, answer: ReviewAnswer, options: { by: string; resume?: boolean; signal?: AbortSignal; secrets?: SecretProvider; display?: DisplayEnv | CheckedResumeDisplay }, onEvent?: RunEventListener): Promise<ResolveReviewResult> {
    const task = this.getReview(idOrPrefix);
    if (!task) throw new UsageError(`no review task ${idOrPrefix}; rpa reviews lists the open ones`);
    if (task.status !== 'open') throw new UsageError(`review ${task.id} was already ${task.status} by ${task.resolvedBy ?? '?'} at ${task.resolvedAt ?? '?'}`);
    const decision = decide(task, answer, options.by);
    const state = this.store.pausedState(task.runId);
    if (!state) throw new UsageError(`run ${task.runId} is ${task.runStatus}, not paused; its review can no longer be resolved`);
    const changed = this.automationChange(task.runId);
    if (changed && decision.decision !== 'rejected') throw new UsageError(`${changed}. Restore the version the run started with, or reject the review (--reject "reason") to end the run.`);
    // A display the resumed run cannot open on is said before the decision is recorded: the review
    // stays open. The display checked here is the one the run resumes on, not probed again.
    let display = options.display;
    if (display && !(display instanceof CheckedResumeDisplay) && options.resume !== false && !changed) display = await this.checkResumeDisplay(task.runId, display);
    // From the decision on, the review resumer of this process would take the run (on the host's display).
    const release = options.resume === false ? () => undefined : this.reserveResume(task.runId);
    try {
      return await this.recordAndResume(task, decision, state, changed, { ...options, ...(display ? { display } : {}) }, onEvent);
    } finally {
      release();
    }
  }

  /**
   * Keeps the review resumer of this process off a paused run until the returned function is
   * called: the caller resumes it itself (with its display and secrets).
   */
  reserveResume(runId: string): () => void {
    this.resumingHere.set(runId, (this.resumingHere.get(runId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = (this.resumingHere.get(runId) ?? 1) - 1;
      if (count > 0) this.resumingHere.set(runId, count);
      else this.resumingHere.delete(runId);
    };
  }

  private async recordAndResume(
    task: ReviewTask,
    decision: ReturnType<typeof decide>,
    state: NonNullable<ReturnType<RunStore['pausedState']>>,
    changed: string | undefined,
    options: { resume?: boolean; signal?: AbortSignal; secrets?: SecretProvider; display?: DisplayEnv | CheckedResumeDisplay },
    onEvent?: RunEventListener,
  ): Promise<ResolveReviewResult> {
    this.store.record({ type: 'review.resolved', runId: task.runId, seq: state.lastSeq + 1, ts: new Date().toISOString(), reviewId: task.id, ...decision });
    const resolved = this.store.reviews.get(task.id)!;
    // A person's values teach the local reader this layout (never fails the review: a note at most).
    const learned = await learnFromReview(this.store.templates, task, decision);
    if (changed) return { task: resolved, ...(learned ? { learned } : {}), result: this.failPausedRun(task.runId, `rejected by ${decision.reviewer}: ${decision.comment ?? ''}`), note: `${changed}; the run was ended without resuming it` };
    const run = this.store.getRun(task.runId)!;
    if (state.paused.waitingPid !== undefined && isProcessAlive(state.paused.waitingPid, run.host)) {
      return { task: resolved, ...(learned ? { learned } : {}), note: `process ${state.paused.waitingPid} is waiting for this review and resumes the run` };
    }
    if (options.resume === false) return { task: resolved, ...(learned ? { learned } : {}), note: `the run stays paused until the agent resumes it (or: rpa review --resume ${task.runId})` };
    try {
      return { task: resolved, ...(learned ? { learned } : {}), result: await this.resumeRun(task.runId, onEvent, { ...(options.signal ? { signal: options.signal } : {}), ...(options.secrets ? { secrets: options.secrets } : {}), ...(options.display ? { display: options.display } : {}) }) };
    } catch (error) {
      // The decision is recorded; someone else (the host's resumer, the tray) was quicker to act on it.
      if (error instanceof AlreadyResumedError) return { task: resolved, ...(learned ? { learned } : {}), note: error.message };
      throw error;
    }
  }

  /** Why a paused run cannot go on with its automation as it is now; undefined when it can. */
  private automationChange(runId: string): string | undefined {
    const run = this.store.getRun(runId);
    if (!run?.automationFile) return `run ${runId} has no automation file to resume from`;
    try {
      const now = loadAutomation(run.automationFile);
      if (now.sha256 === run.automationSha256) return undefined;
      return `the automation ${run.automationFile} changed since run ${runId} paused (sha256 ${run.automationSha256.slice(0, 12)}… → ${now.sha256.slice(0, 12)}…)`;
    } catch (error) {
      return `the automation ${run.automationFile} of run ${runId} cannot be loaded: ${(error as Error).message.split('\n')[0]}`;
    }
  }

  /** Ends a paused run as failed without running anything (its review was rejected). */
  private failPausedRun(runId: string, message: string): RunResult {
    const state = this.store.pausedState(runId)!;
    const run = this.store.getRun(runId)!;
    const error = { name: 'BusinessError', message, details: { step: state.paused.path } };
    const durationMs = Date.now() - Date.parse(run.startedAt);
    const ts = new Date().toISOString();
    this.store.record({ type: 'run.resumed', runId, seq: state.lastSeq + 1, ts, path: state.paused.path, reviewId: state.paused.reviewId, pid: process.pid });
    this.store.record({ type: 'run.finished', runId, seq: state.lastSeq + 2, ts, status: 'failed', durationMs, outputs: {}, vars: state.paused.vars, error });
    return { runId, status: 'failed', durationMs, outputs: {}, vars: state.paused.vars, error };
  }

  /**
   * Resumes a paused run whose review was resolved, at the step that asked for it. `secrets`: to
   * fall back on after this engine's own (the RPA_SECRET_* of the `rpa review` that asked the
   * host); `display`: the display of whoever resumed it (a terminal or a studio attached to the
   * host) — a headed run's browser reopens there, not on the host's screen. A bot with desktop
   * steps resumes on the host's own display, the one its desktop steps act on. A display already
   * checked for this run (checkResumeDisplay, before its decision was recorded) is not probed again.
   */
  async resumeRun(runId: string, onEvent?: RunEventListener, options: { signal?: AbortSignal; secrets?: SecretProvider; display?: DisplayEnv | CheckedResumeDisplay } = {}): Promise<RunResult> {
    const { signal, secrets } = options;
    const state = this.store.pausedState(runId);
    if (!state) throw this.notPaused(runId);
    const waiting = state.paused.waitingPid;
    if (waiting !== undefined && isProcessAlive(waiting, this.store.getRun(runId)!.host)) {
      throw new UsageError(`run ${runId} is not resumed here: process ${waiting} is waiting for its review and resumes the run`);
    }
    const task = this.store.reviews.get(state.paused.reviewId);
    if (!task?.decision) throw new UsageError(`run ${runId} waits for review ${state.paused.reviewId}, which is still open: rpa review ${state.paused.reviewId} --approve | --set field=value | --reject "reason"`);
    const changed = this.automationChange(runId);
    if (changed) throw new UsageError(`cannot resume: ${changed}`);
    const run = this.store.getRun(runId)!;
    const policy = requirePolicy(this.policyState());
    if (packageRequirements(policy).requireSignature && !run.package) {
      throw new PolicyViolationError(`cannot resume run ${runId}: this machine's policy now only runs signed automation packages, and the run did not start from one`);
    }
    const automation = loadAutomation(run.automationFile!);
    const provider = secrets ? fallBackOn(this.secrets, secrets) : this.secrets;
    const secretNames = requiredSecrets(automation);
    const values = secretNames.size ? resolveSecrets(secretNames, provider, automation.displayFile) : new Map<string, string>();
    const checked = options.display instanceof CheckedResumeDisplay && options.display.runId === runId ? options.display : undefined;
    const browserEnv = checked ? checked.browserEnv : await this.resumeDisplayFor(runId, options.display instanceof CheckedResumeDisplay ? options.display.display : options.display);
    if (usesDesktop(automation.doc)) await desktopPreflight(this.env);
    const settings = readSettings(this.home);
    const resume: ResumeState = {
      path: state.paused.path,
      attempt: state.paused.attempt,
      vars: state.paused.vars,
      inputs: run.inputs,
      lastSeq: state.lastSeq,
      startedAt: run.startedAt,
      review: { ...task.decision, reviewId: task.id, task: { values: task.values, details: task.details } },
    };
    return new Run(automation, {
      runId,
      resume,
      ...(browserEnv ? { browserEnv } : {}),
      headless: run.headless,
      secrets: values,
      ...(signal ? { signal } : {}),
      ...this.runServices(automation, settings, policy, onEvent, provider),
    }).execute();
  }

  /**
   * Checks, before a review's decision is recorded, the display a caller (a terminal, a studio
   * attached to the host) will resume the paused run `runId` on; throws DisplayUnavailableError
   * when this process cannot open windows there. Hand the result to resumeRun / resolveReview as
   * `display`: it is not probed again.
   */
  async checkResumeDisplay(runId: string, display: DisplayEnv): Promise<CheckedResumeDisplay> {
    // A run whose automation changed is not resumed (its review can only be rejected, which ends it): nothing to probe.
    if (this.automationChange(runId)) return new CheckedResumeDisplay(runId, display, undefined);
    return new CheckedResumeDisplay(runId, display, await this.resumeDisplayFor(runId, display));
  }

  /** The browser environment of a resumed run asked from `display` (undefined: this process's own). */
  private async resumeDisplayFor(runId: string, display: DisplayEnv | undefined): Promise<NodeJS.ProcessEnv | undefined> {
    const run = this.store.getRun(runId);
    if (!display || !run?.automationFile || run.headless) return undefined;
    let desktop: boolean;
    try {
      desktop = usesDesktop(loadAutomation(run.automationFile).doc);
    } catch {
      // An automation that cannot be loaded is not resumed at all: the caller says why (automationChange).
      return undefined;
    }
    // Desktop steps act on this process's display: the run resumes where it started.
    if (desktop) return undefined;
    return await this.displayFor(display, false, run.headless);
  }

  /**
   * Resumes every paused run whose review was resolved but that nobody resumed (resolved with
   * resume: false, or the resolving process died). The agent calls this on a timer.
   */
  async resumeResolvedRuns(onEvent?: RunEventListener): Promise<RunResult[]> {
    const results: RunResult[] = [];
    for (const runId of this.store.pausedRunIds()) {
      const state = this.store.pausedState(runId);
      if (!state || !this.store.reviews.get(state.paused.reviewId)?.decision) continue;
      const run = this.store.getRun(runId)!;
      if (state.paused.waitingPid !== undefined && isProcessAlive(state.paused.waitingPid, run.host)) continue;
      if (this.resumingHere.has(runId)) continue;
      try {
        results.push(await this.resumeRun(runId, onEvent));
      } catch (error) {
        // Resumed meanwhile by the reviewer's own call (or another front end): not ours to do.
        if (!(error instanceof AlreadyResumedError)) throw error;
      }
    }
    return results;
  }

  /** Why a run cannot be resumed: someone resumed it already (and who), or it never paused. */
  private notPaused(runId: string): Error {
    const run = this.store.getRun(runId);
    if (!run) return new UsageError(`no run ${runId}`);
    const by = this.store.lastResume(runId);
    return by ? new AlreadyResumedError(runId, by, run.status) : new UsageError(`run ${runId} is not paused (it is ${run.status})`);
  }

  /** Resolved reviews as labelled examples: what the model proposed and what a person decided. */
  reviewExamples(): Array<Record<string, unknown>> {
    return this.store.reviews
      .list({ all: true })
      .filter((task) => task.decision && task.decision.decision !== 'rejected')
      .map((task) => ({
        reviewId: task.id,
        runId: task.runId,
        automation: task.automationId,
        step: task.stepPath,
        kind: task.details['kind'],
        document: task.details['document'],
        modelOutput: task.details['modelOutput'] ?? task.values,
        proposed: task.values,
        corrected: task.decision!.values,
        decision: task.decision!.decision,
        reviewer: task.decision!.reviewer,
        resolvedAt: task.resolvedAt,
      }));
  }

  listRuns(options?: ListRunsOptions): RunSummary[] {
    return this.store.listRuns(options);
  }

  getRun(idOrPrefix: string): RunDetail | undefined {
    const id = this.store.resolveRunId(idOrPrefix);
    return id === undefined ? undefined : this.store.getRun(id);
  }

  runsByTrigger(trigger: string): ReturnType<RunStore['runsByTrigger']> {
    return this.store.runsByTrigger(trigger);
  }

  events(runId: string): RunEvent[] {
    return this.store.events(runId);
  }

  /** Sealed audit records of every run event, waiting for (or done with) upload. */
  get outbox(): AuditOutbox {
    return this.store.outbox;
  }

  /** The encrypted vault, with this engine's key (undefined when the engine was given other secrets). */
  get secretsVault(): Vault | undefined {
    return this.vault;
  }

  /** The local durable work queue (same SQLite file as the run store). */
  get queue(): WorkQueue {
    this.openedQueue ??= new SqliteWorkQueue(borrowDatabase(this.db));
    return this.openedQueue;
  }

  close(): void {
    void this.tracer?.shutdown();
    void runCloseHooks();
    void this.openedQueue?.close();
    this.vault?.close();
    this.store.close();
  }
}

/** Secrets from `first`, then from `then` (whose hint is the one a person can act on there). */
function fallBackOn(first: SecretProvider, then: SecretProvider): SecretProvider {
  return { get: (name) => first.get(name) ?? then.get(name), hint: (name) => first.hint(name) };
}
