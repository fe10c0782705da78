// The studio API over the engine: one `call(method, request)` entry point that validates
// every request against engine/transport/messages.ts and answers with the typed response,
// plus a stream of pushed messages (run events, debugger pauses, recording steps). The
// HTTP/WebSocket server and the Electron utility process are thin shells around this.
import { describeSigner, loadAutomationOrPackage, verifyPackage } from '../package/index.js';
import { assertRecorderAllowed, assertSchedulesAllowed, effectiveModels, effectiveSettings, summarizePolicy } from '../policy/effective.js';
import { testProviderConnection } from '../ai/test-connection.js';
import { requirePolicy } from '../policy/policy.js';
import { existsSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Engine, ReviewAnswer } from '../api.js';
import { AutomationInvalidError, RpaError, serializeError, type ValidationIssue } from '../errors.js';
import { loadAutomation, requiredSecrets, type LoadedAutomation } from '../format/load.js';
import type { DebugRevision } from '../runner/runner.js';
import type { Automation, Step } from '../format/schema.js';
import { readSettings, Settings } from '../home.js';
import { findBrowser } from '../runner/browser-finder.js';
import { isDisplayLaunchError, missingDisplay, noDisplayMessage } from '../runner/display.js';
import { isProcessAlive } from '../store/is-process-alive.js';
import { DisplayUnavailableError, RECORDING_FROM_STUDIO, type CheckedResumeDisplay, type DisplayEnv } from '../runner/display-env.js';
import { prepareInputs } from '../runner/inputs.js';
import { nextFireTimes } from '../schedule/cron.js';
import { ScheduleStore, type Schedule } from '../schedule/schedule-store.js';
import { AutomationVersionStore } from '../store/automation-versions.js';
import { readSyncConfig } from '../sync/sync-client.js';
import type { Vault } from '../vault/vault.js';
import { ConflictError, NotAvailableError, NotFoundError, RequestInvalidError } from './errors.js';
import { API, type AutomationSummary, type Method, type ParsedRequestOf, type Pushed, type ResponseOf, type RunDetail, type ScheduleView, type HostStatus, type ActiveRun as ActiveRunView } from './messages.js';
import { RunDebugger } from './run-debugger.js';
import { diffSteps } from '../format/step-diff.js';
import { describeStep } from '../runner/describe-step.js';
import { reviewDetailView } from '../review/review-view.js';
import { AlreadyResumedError } from '../review/pause.js';
import { personAtThisMachine } from '../review/reviewer.js';
import { reviewPageImage } from './review-page.js';
import type { Workspace } from './workspace.js';

/** A recording in progress, as recorder/api.ts returns it (injected: engine/ may not import recorder/). */
export interface Recording {
  readonly ended: Promise<string>;
  /** The recorder's first tab, so tests can drive the recording browser with real input. */
  readonly page: Page;
  steps(): Step[];
  stop(): Promise<Automation>;
}
export type StartRecording = (options: {
  url?: string;
  headless?: boolean;
  executablePath?: string;
  name?: string;
  /** The recording browser's environment (the display of the studio that asked); default this process's. */
  env?: NodeJS.ProcessEnv;
  onStep: (step: Step, index: number) => void;
}) => Promise<Recording>;

export interface StudioServiceOptions {
  engine: Engine;
  workspace: Workspace;
  /** The browser recorder, when this build has it. */
  startRecording?: StartRecording;
  /** Who resolves reviews here (recorded on the decision and in the audit trail); default: the signed-in OS user. */
  reviewer?: string;
  /** The engine host this service runs in: its state, the real scheduler's pause. */
  host?: HostControl;
}

/** What the engine host lets the studio API see and do (engine/host/host.ts). */
export interface HostControl {
  status(): HostStatus;
  setSchedulesPaused(paused: boolean): HostStatus;
  /** A schedule was added, removed or paused on this process's own connection (no data_version change). */
  schedulesChanged(): void;
}

/** Who calls, besides what it asks: set by the host's socket for a front end attached to it. */
export interface CallContext {
  /**
   * The display of the attached front end (a studio or the desktop app on another display than
   * the host's): a headed run it starts or resumes opens its browser there. Undefined: the host's own.
   */
  display?: DisplayEnv;
}

/** The studio API as the HTTP server and the Electron shell use it: in this process, or a host's over its socket. */
export interface StudioApi {
  call(method: string, request: unknown, context?: CallContext): Promise<unknown>;
  onPush(listener: (message: Pushed) => void): () => void;
  artifactFile(runId: string, name: string): string | Promise<string>;
}

type Handlers = { [M in Method]: (request: ParsedRequestOf<M>, context: CallContext) => Promise<ResponseOf<M>> | ResponseOf<M> };
type PushListener = (message: Pushed) => void;

interface ActiveRun {
  automationId: string;
  controller: AbortController;
  debug: RunDebugger;
}

export class StudioService implements StudioApi {
  private readonly listeners = new Set<PushListener>();
  private readonly runs = new Map<string, ActiveRun>();
  private readonly versions: AutomationVersionStore;
  private readonly schedules: ScheduleStore;
  private readonly unsubscribe: () => void;
  private recording: Recording | undefined;
  /** A recording is being started (its display checked, its browser launched): a second start is refused meanwhile. */
  private recordingStarts = false;
  private readonly handlers: Handlers;

  constructor(private readonly options: StudioServiceOptions) {
    const { engine } = options;
    // The engine's own connection: one process, one connection to the store.
    this.versions = new AutomationVersionStore(engine.database);
    this.schedules = new ScheduleStore(engine.database);
    this.unsubscribe = engine.subscribe((event) => {
      this.push({ type: 'run.event', event });
      if (event.type === 'review.created' || event.type === 'review.resolved') this.push({ type: 'reviews.changed' });
    });
    this.handlers = this.createHandlers();
  }

  /** The one entry point: validates the request, runs the method, returns its response. */
  async call(method: string, request: unknown, context: CallContext = {}): Promise<unknown> {
    if (!Object.hasOwn(API, method)) throw new NotFoundError(`unknown API method "${method}"`);
    const m = method as Method;
    const parsed = API[m].request.safeParse(request ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RequestInvalidError(`${method}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`, { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    const handler = this.handlers[m] as (request: unknown, context: CallContext) => unknown;
    return await handler(parsed.data, context);
  }

  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The file of an artifact of a run, checked to lie inside that run's artifact folder. */
  artifactFile(runId: string, name: string): string {
    const run = this.options.engine.getRun(runId);
    if (!run) throw new NotFoundError(`no run ${runId}`);
    const runDir = path.join(this.options.engine.home.artifactsDir, run.id);
    const artifact = run.artifacts.find((a) => path.basename(a.file) === name);
    if (!artifact || path.basename(name) !== name) throw new NotFoundError(`run ${run.id} has no artifact "${name}"`);
    const file = path.join(runDir, name);
    if (!existsSync(file)) throw new NotFoundError(`artifact ${name} of run ${run.id} is gone from disk`);
    const real = realpathSync(file);
    if (path.dirname(real) !== realpathSync(runDir)) throw new NotFoundError(`artifact ${name} is not inside the run's folder`);
    return real;
  }

  async close(): Promise<void> {
    for (const run of this.runs.values()) {
      run.debug.detach();
      run.controller.abort();
    }
    await this.recording?.stop().catch(() => undefined);
    this.unsubscribe();
    this.versions.close();
    this.schedules.close();
  }

  private push(message: Pushed): void {
    for (const listener of this.listeners) listener(message);
  }

  private createHandlers(): Handlers {
    const engine = this.options.engine;
    const workspace = this.options.workspace;
    return {
      'session.info': () => ({
        roots: workspace.roots.map((r) => ({ name: r.name, dir: r.dir })),
        recorder: this.options.startRecording !== undefined && this.recorderAllowed(),
        reviews: true,
        running: [...this.runs].map(([runId, run]) => ({ runId, automation: run.automationId, ...(run.debug.pausedAt ? { pausedAt: run.debug.pausedAt } : {}) })),
        policy: (({ status, error, owner }) => ({ status, ...(error ? { error } : {}), ...(owner ? { owner } : {}) }))(summarizePolicy(engine.policyState())),
      }),
      'automations.list': () => workspace.list().map(({ id, file }) => this.inspect(id, file).summary),
      'automations.get': ({ id }) => {
        const { file } = this.existing(id);
        const inspected = this.inspect(id, file);
        return { summary: inspected.summary, doc: inspected.doc, issues: inspected.issues, versions: file.endsWith('.rpapkg') ? [] : this.versions.list(file) };
      },
      'automations.validate': ({ id, doc }) => ({ issues: this.validateDraft(id, doc) }),
      'automations.save': ({ id, doc, note }) => {
        const { file } = this.existing(id);
        if (file.endsWith('.rpapkg')) throw new ConflictError(`${id} is a package and cannot be edited; change its source folder, then rpa pack and rpa sign again`);
        const issues = this.validateDraft(id, doc);
        if (issues.length) throw new AutomationInvalidError(issues);
        // The file as it was before the first save from the studio becomes version 1.
        if (!this.versions.list(file).length) this.versions.save(file, formatted(readFileSync(file, 'utf8')), 'as found on disk');
        const text = `${JSON.stringify(doc, null, 2)}\n`;
        writeAtomically(file, text);
        return { version: this.versions.save(file, text, note) };
      },
      'automations.create': ({ fileName, doc }) => {
        const root = workspace.userRoot;
        const id = `${root.name}/${fileName}`;
        const { file } = workspace.resolve(id);
        if (existsSync(file)) throw new ConflictError(`${id} already exists; choose another file name`);
        const issues = this.validateDraft(id, doc);
        if (issues.length) throw new AutomationInvalidError(issues);
        const text = `${JSON.stringify(doc, null, 2)}\n`;
        writeAtomically(file, text);
        return { id, version: this.versions.save(file, text, 'created') };
      },
      'automations.diff': ({ id, from, to }) => {
        const { file } = workspace.resolve(id);
        const parse = (version: number): unknown => {
          try {
            return JSON.parse(this.versions.get(file, version).content);
          } catch {
            return undefined; // a version kept as found on disk may not be JSON: its steps read as none
          }
        };
        return { hunks: this.versions.diff(file, from, to), steps: diffSteps(parse(from), parse(to), labelOf) };
      },
      'runs.start': (request, context) => this.startRun(request, context),
      'runs.cancel': ({ runId }) => {
        const run = this.runs.get(runId);
        if (!run) throw new NotFoundError(`run ${runId} is not running in this studio`);
        run.debug.detach();
        run.controller.abort();
        return { ok: true as const };
      },
      'runs.list': ({ limit }) => engine.listRuns({ last: limit ?? 50 }),
      'runs.active': () => this.activeRuns(),
      'runs.get': ({ runId }) => this.runDetail(runId),
      'runs.debug': ({ runId, action, breakpoints, doc }) => {
        const run = this.runs.get(runId);
        if (!run) throw new NotFoundError(`run ${runId} is not running in this studio`);
        if (doc !== undefined && !action) throw new RequestInvalidError('runs.debug: doc is handed to the run with action "step" or "continue"');
        // Checked before anything changes: a refused revision leaves the run paused as it was.
        const revision = doc !== undefined ? this.revisionFor(run, doc) : undefined;
        if (breakpoints) run.debug.setBreakpoints(breakpoints);
        if (action === 'continue') run.debug.continue(revision);
        if (action === 'step') run.debug.step(revision);
        const variables = action ? undefined : run.debug.variables();
        return {
          runId,
          breakpoints: [...run.debug.breakpoints],
          ...(run.debug.pausedAt ? { pausedAt: run.debug.pausedAt } : {}),
          ...(variables ? { variables } : {}),
          ...(revision ? { revision: { describe: revision.describe, sha256: revision.automation.sha256 } } : {}),
        };
      },
      'runs.testLocator': async ({ runId, target, highlight }) => {
        const run = this.runs.get(runId);
        if (!run) throw new NotFoundError(`run ${runId} is not running in this studio`);
        if (highlight !== undefined && highlight >= target.candidates.length) throw new RequestInvalidError(`highlight: the target has ${target.candidates.length} candidate(s); there is no candidate ${highlight + 1}`);
        return await run.debug.testTarget(target, highlight);
      },
      'schedules.list': () => this.schedules.list().map(scheduleView),
      'schedules.add': ({ id, cron, timeZone, inputs, name }) => {
        assertSchedulesAllowed(engine.policyState());
        const { automation, file } = loadAutomationOrPackage(this.existing(id).file, path.join(engine.home.dir, 'packages'));
        const prepared = prepareInputs(automation, inputs);
        const given = Object.fromEntries(Object.keys(inputs).map((k) => [k, prepared[k]]));
        const added = scheduleView(this.schedules.add({ file, cron, inputs: given, ...(timeZone ? { timeZone } : {}), ...(name ? { name } : {}) }));
        this.options.host?.schedulesChanged();
        return added;
      },
      'schedules.remove': ({ scheduleId }) => {
        this.schedules.remove(scheduleId);
        this.options.host?.schedulesChanged();
        return { ok: true as const };
      },
      'schedules.pause': ({ scheduleId, paused }) => {
        if (!paused) assertSchedulesAllowed(engine.policyState());
        const view = scheduleView(this.schedules.setPaused(scheduleId, paused));
        this.options.host?.schedulesChanged();
        return view;
      },
      'secrets.list': () => this.vault().list(),
      'secrets.set': ({ name, value }) => {
        this.vault().set(name, value);
        return { ok: true as const };
      },
      'secrets.remove': ({ name }) => {
        if (!this.vault().remove(name)) throw new NotFoundError(`no secret named ${name}`);
        return { ok: true as const };
      },
      'settings.get': () => this.settingsView(),
      'settings.save': ({ settings }) => {
        const parsed = Settings.safeParse(settings);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new RequestInvalidError(`settings: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
        }
        writeAtomically(engine.home.settingsFile, `${JSON.stringify(parsed.data, null, 2)}\n`);
        return this.settingsView();
      },
      'settings.testProvider': async ({ provider }) => {
        // The endpoint list a run would apply: the policy's when it sets one (an invalid policy
        // refuses here as it refuses runs), else the user's own.
        const policy = requirePolicy(engine.policyState());
        const allowed = effectiveModels(readSettings(engine.home).models, policy)?.allowedEndpoints;
        return await testProviderConnection(provider, { allowedEndpoints: allowed, apiKey: (name) => this.secretValue(name) });
      },
      'recording.start': async ({ url, headless, name }, { display }) => {
        const start = this.options.startRecording;
        if (!start) throw new NotAvailableError('the browser recorder is not part of this build');
        assertRecorderAllowed(engine.policyState());
        if (this.recording || this.recordingStarts) throw new ConflictError('a recording is already running; stop it first');
        const settings = readSettings(engine.home);
        const visible = !(headless ?? false);
        // A studio attached from another display: the recorder's window opens on that one.
        const callerHasDisplay = Boolean(display?.DISPLAY || display?.WAYLAND_DISPLAY);
        const noDisplay = visible && !callerHasDisplay ? missingDisplay() : undefined;
        if (noDisplay) throw new NotAvailableError(`Cannot record here: ${noDisplayMessage(noDisplay, 'rpa studio')}`, { display: false });
        let recording: Recording;
        this.recordingStarts = true;
        try {
          let env: NodeJS.ProcessEnv | undefined;
          try {
            // One this host cannot open windows on is refused before any browser starts.
            env = visible ? await engine.browserEnvFor(display, RECORDING_FROM_STUDIO) : undefined;
          } catch (error) {
            if (error instanceof DisplayUnavailableError) throw new NotAvailableError(`Cannot record here: ${error.message}`, { display: false });
            throw error;
          }
          recording = await start({
            ...(url ? { url } : {}),
            headless: !visible,
            executablePath: findBrowser({ configured: settings.browser?.executablePath }),
            ...(name ? { name } : {}),
            ...(env ? { env } : {}),
            onStep: (step, index) => this.push({ type: 'recording.step', index, step }),
          });
        } catch (error) {
          // The browser's own launch log says the same at length: tell the person what to do.
          if (visible && isDisplayLaunchError(error)) throw new NotAvailableError(`Cannot record here: ${noDisplayMessage('the display cannot be opened', 'rpa studio')}`, { display: false });
          throw error;
        } finally {
          this.recordingStarts = false;
        }
        this.recording = recording;
        void recording.ended.then((reason) => this.push({ type: 'recording.ended', reason }));
        return { ok: true as const };
      },
      'recording.stop': async () => {
        const recording = this.recording;
        if (!recording) throw new ConflictError('no recording is running');
        this.recording = undefined;
        return { doc: await recording.stop() };
      },
      'reviews.list': () =>
        engine.listReviews().map((t) => ({ id: t.id, runId: t.runId, stepPath: t.stepPath, title: t.title, ...(t.instructions ? { instructions: t.instructions } : {}), status: t.status, values: t.values, automationName: t.automationName, createdAt: t.createdAt, ...reviewDetailView(t) })),
      'reviews.page': async ({ reviewId, page }) => {
        const task = engine.getReview(reviewId);
        if (!task || task.id !== reviewId) throw new NotFoundError(`no review ${reviewId}`);
        return await reviewPageImage(task, page);
      },
      'reviews.resolve': async ({ reviewId, decision, values, comment }, { display }) => {
        const answer: ReviewAnswer = decision === 'approved' ? { approve: true } : decision === 'rejected' ? { reject: comment ?? '' } : { set: values ?? {} };
        // The caller resumes the run (on its display): the host's review resumer keeps off it meanwhile.
        const task = engine.getReview(reviewId);
        const release = task ? engine.reserveResume(task.runId) : () => undefined;
        let outcome: Awaited<ReturnType<Engine['resolveReview']>>;
        let resumeDisplay: CheckedResumeDisplay | undefined;
        try {
          // The display the run resumes on is checked before the decision is recorded (one this host
          // cannot open windows on leaves the review open), and not probed again when it resumes.
          if (task?.status === 'open' && display) resumeDisplay = await engine.checkResumeDisplay(task.runId, display);
          // Record the decision now; the resumed run goes on in the background, its events pushed as usual.
          outcome = await engine.resolveReview(reviewId, answer, { by: this.options.reviewer ?? personAtThisMachine(), resume: false, ...(resumeDisplay ? { display: resumeDisplay } : {}) });
        } catch (error) {
          release();
          throw error;
        }
        this.push({ type: 'reviews.changed' });
        if (outcome.note?.startsWith('the run stays paused')) {
          // Resumed first by another process: the run goes on there, which is no error.
          void engine
            .resumeRun(outcome.task.runId, undefined, resumeDisplay ? { display: resumeDisplay } : display ? { display } : {})
            .catch((error: unknown) => {
              if (!(error instanceof AlreadyResumedError)) this.push({ type: 'run.error', runId: outcome.task.runId, error: serializeError(error) });
            })
            .finally(release);
        } else release();
        return { ok: true as const };
      },
      'host.status': () => this.host().status(),
      'host.pause': ({ paused }) => {
        if (!paused) assertSchedulesAllowed(engine.policyState());
        return this.host().setSchedulesPaused(paused);
      },
    };
  }

  private host(): HostControl {
    if (!this.options.host) throw new NotAvailableError('no engine host runs in this process (schedules, sync): start rpa agent or rpa studio');
    return this.options.host;
  }

  /** The recording in progress, for tests that drive its browser. */
  get activeRecording(): Recording | undefined {
    return this.recording;
  }

  private existing(id: string): { file: string } {
    const { file } = this.options.workspace.resolve(id);
    if (!existsSync(file)) throw new NotFoundError(`no automation ${id}`);
    return { file };
  }

  /** A package: its automation document (after the integrity check) and signer; read-only. */
  private inspectPackage(id: string, file: string): { summary: AutomationSummary; doc: unknown; issues: ValidationIssue[] } {
    const root = this.options.workspace.resolve(id).root;
    let doc: unknown;
    let issues: ValidationIssue[] = [];
    let pkg: AutomationSummary['package'];
    try {
      const verified = verifyPackage(file);
      doc = JSON.parse(verified.files.get(verified.manifest.automation)!.toString('utf8'));
      const signer = verified.signer;
      pkg = { sha256: verified.sha256, signed: signer !== undefined, ...(signer ? { signer: describeSigner(signer) } : {}) };
    } catch (error) {
      if (!(error instanceof RpaError)) throw error;
      issues = [{ file: id, path: '', message: error.message }];
    }
    return { summary: summarize(id, root.name, file, doc, issues.length, { writable: false, ...(pkg ? { package: pkg } : {}) }), doc, issues };
  }

  private inspect(id: string, file: string): { summary: AutomationSummary; doc: unknown; issues: ValidationIssue[] } {
    if (file.endsWith('.rpapkg')) return this.inspectPackage(id, file);
    const root = this.options.workspace.resolve(id).root;
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      doc = undefined;
    }
    let issues: ValidationIssue[] = [];
    try {
      loadAutomation(file);
    } catch (error) {
      if (!(error instanceof AutomationInvalidError)) throw error;
      issues = error.issues.map((issue) => ({ ...issue, file: issue.file === file ? id : issue.file }));
    }
    return { summary: summarize(id, root.name, file, doc, issues.length, { writable: true }), doc, issues };
  }

  /**
   * Validates a document as if it were saved as `id` (called automations resolve from the
   * same folder): written to a temporary file beside it, loaded, removed.
   */
  private validateDraft(id: string, doc: unknown): ValidationIssue[] {
    return this.loadDraft(id, doc).issues;
  }

  /** A draft loaded as if saved as `id`, its hash that of the text a save would write. */
  private loadDraft(id: string, doc: unknown): { loaded?: LoadedAutomation; issues: ValidationIssue[] } {
    const { file } = this.options.workspace.resolve(id);
    const draft = path.join(path.dirname(file), `.${path.basename(file, '.json')}.draft-${process.pid}-${Date.now()}.json`);
    writeFileSync(draft, `${JSON.stringify(doc, null, 2)}\n`);
    try {
      const loaded = loadAutomation(draft);
      return { loaded: { ...loaded, file, displayFile: id }, issues: [] };
    } catch (error) {
      if (!(error instanceof AutomationInvalidError)) throw error;
      return { issues: error.issues.map((issue) => ({ ...issue, file: issue.file === draft ? id : issue.file })) };
    } finally {
      rmSync(draft, { force: true });
    }
  }

  /**
   * The builder's edited document as a revision a paused run can take from the step it waits
   * at: only before a top-level step, with the steps already run unchanged and the same inputs
   * and secrets (those were settled when the run started). Anything else is refused, saying why.
   */
  private revisionFor(run: ActiveRun, doc: unknown): DebugRevision {
    const at = run.debug.pausedAt;
    const current = run.debug.automation();
    if (at === undefined || !current) throw new ConflictError('the run is not paused: edits can only be handed to a run waiting at a breakpoint');
    if (!/^\d+$/.test(at)) {
      throw new ConflictError(`the run is paused at step ${at}, inside step ${at.split(/[.>[]/)[0]}: edits can only be handed to it before a top-level step. Step on to the next top-level step, or go on with the version the run has`);
    }
    const { loaded, issues } = this.loadDraft(run.automationId, doc);
    if (!loaded) throw new AutomationInvalidError(issues);
    const index = Number(at) - 1;
    const ran = (automation: LoadedAutomation): string => JSON.stringify(automation.doc.steps.slice(0, index));
    if (ran(loaded) !== ran(current)) {
      throw new ConflictError(`your changes alter step${index === 1 ? ' 1' : `s 1–${index}`}, which this run has already done: it cannot go back. Stop the run and start it again to run your changes from the beginning`);
    }
    if (JSON.stringify(loaded.doc.inputs ?? []) !== JSON.stringify(current.doc.inputs ?? [])) {
      throw new ConflictError('your changes alter the inputs, which are settled when a run starts: stop the run and start it again to use them');
    }
    const loadedSecrets = requiredSecrets(current);
    const newSecrets = [...requiredSecrets(loaded)].filter((name) => !loadedSecrets.has(name));
    if (newSecrets.length) throw new ConflictError(`your changes need the secret(s) ${newSecrets.join(', ')}, which this run did not load when it started: stop the run and start it again to use them`);
    const saved = this.versions.list(this.existing(run.automationId).file).find((v) => v.sha256 === loaded.sha256);
    return saved ? { automation: loaded, describe: `version ${saved.version} (saved in the studio)`, savedVersion: saved.version } : { automation: loaded, describe: 'an unsaved revision' };
  }

  private async startRun(request: ParsedRequestOf<'runs.start'>, { display }: CallContext): Promise<ResponseOf<'runs.start'>> {
    const { engine } = this.options;
    const { file } = this.existing(request.id);
    const controller = new AbortController();
    let runId: string | undefined;
    // A visible browser when asked for and a window can open here; else the run goes on hidden and says so.
    // A front end attached from another display: the browser opens on that one.
    const callerHasDisplay = Boolean(display?.DISPLAY || display?.WAYLAND_DISPLAY);
    const noDisplay = request.headed && !callerHasDisplay ? missingDisplay() : undefined;
    const headed = (request.headed ?? false) && noDisplay === undefined;
    const debug: RunDebugger = new RunDebugger(request.breakpoints ?? [], request.stepThrough ?? false, {
      paused: (at) => this.push({ type: 'debug.paused', runId: runId!, path: at, headed, ...((v) => (v ? { variables: v } : {}))(debug.variables()) }),
      resumed: () => this.push({ type: 'debug.resumed', runId: runId! }),
    });
    return await new Promise<ResponseOf<'runs.start'>>((resolve, reject) => {
      engine
        .run({ file, inputs: request.inputs, headed, signal: controller.signal, trigger: 'studio', debug, ...(display ? { display } : {}) }, (event) => {
          if (event.type !== 'run.started') return;
          runId = event.runId;
          this.runs.set(runId, { automationId: request.id, controller, debug });
          resolve({
            runId,
            headed,
            ...(noDisplay ? { note: `The browser runs hidden: ${noDisplay}. Breakpoints, variables and "test this locator" still work; to watch the browser, start the studio where a window can open (xvfb-run -a rpa studio on a machine without a screen).` } : {}),
          });
        })
        .then(
          () => undefined,
          (error: unknown) => {
            // Before the first step (invalid automation, missing input or secret): the caller gets the error.
            if (runId === undefined) reject(error instanceof Error ? error : new RpaError(String(error)));
            else this.push({ type: 'run.error', runId, error: serializeError(error) });
          },
        )
        .finally(() => {
          if (runId !== undefined) this.runs.delete(runId);
        });
    });
  }

  /** Runs going on (their process alive, on any connection to this store) and runs paused for a review, newest first. */
  private activeRuns(): ActiveRunView[] {
    const { engine } = this.options;
    const found = [...engine.listRuns({ status: 'running', last: 20 }), ...engine.listRuns({ status: 'paused', last: 20 })];
    const open = new Map(engine.listReviews().map((t) => [t.runId, t]));
    const active: ActiveRunView[] = [];
    for (const summary of found) {
      const run = engine.getRun(summary.id);
      if (!run) continue;
      if (run.status === 'running' && !this.runs.has(run.id) && !isProcessAlive(run.pid, run.host)) continue;
      const current = run.steps.at(-1);
      const review = open.get(run.id);
      active.push({
        runId: run.id,
        automationName: run.automationName,
        status: run.status === 'paused' ? 'paused' : 'running',
        startedAt: run.startedAt,
        totalSteps: run.totalSteps,
        done: current ? current.topIndex - 1 : 0,
        label: run.status === 'paused' ? (review ? `waiting for a review: ${review.title}` : 'review done, waiting to resume') : (current?.label ?? 'starting'),
        ...(run.status === 'paused' && review ? { reviewId: review.id } : {}),
      });
    }
    return active.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  private runDetail(runId: string): RunDetail {
    const run = this.options.engine.getRun(runId);
    if (!run) throw new NotFoundError(`no run ${runId}`);
    return {
      id: run.id,
      automationId: run.automationId,
      automationName: run.automationName,
      automationVersion: run.automationVersion,
      ...(run.automationFile ? { automationFile: run.automationFile } : {}),
      status: run.status,
      startedAt: run.startedAt,
      ...(run.endedAt ? { endedAt: run.endedAt } : {}),
      ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
      ...(run.error ? { error: run.error } : {}),
      stepsPassed: run.stepsPassed,
      stepsFailed: run.stepsFailed,
      inputs: run.inputs,
      outputs: run.outputs,
      totalSteps: run.totalSteps,
      steps: run.steps.map(({ endedAt: _endedAt, ...step }) => step),
      logs: run.logs,
      revisions: run.revisions,
      artifacts: run.artifacts.map((a) => ({ seq: a.seq, ...(a.path ? { path: a.path } : {}), kind: a.kind, name: path.basename(a.file), bytes: a.bytes })),
      modelCalls: run.modelCalls.map(({ ts: _ts, masked: _masked, ...call }) => call),
      ...(run.modelCostUsd !== undefined ? { modelCostUsd: run.modelCostUsd } : {}),
    };
  }

  /**
   * The engine's own vault: the key source the runner opens secrets with (the host's
   * environment, or the desktop app's key), so what is stored here is what a run can read.
   */
  private vault(): Vault {
    const vault = this.options.engine.secretsVault;
    if (!vault) throw new NotAvailableError('this engine keeps no vault (its secrets come from elsewhere)');
    return vault;
  }

  private recorderAllowed(): boolean {
    try {
      assertRecorderAllowed(this.options.engine.policyState());
      return true;
    } catch {
      return false;
    }
  }

  /** The endpoints model calls may go to, as a run applies them; an invalid policy allows none. */
  private modelEndpoints(settings: ReturnType<typeof readSettings>): ResponseOf<'settings.get'>['models'] {
    const state = this.options.engine.policyState();
    if (state.status === 'invalid') return { allowedEndpoints: [], allowedBy: 'policy' };
    const policy = state.status === 'ok' ? state.policy : undefined;
    if (policy?.models) return { allowedEndpoints: policy.models.allowedEndpoints, allowedBy: 'policy' };
    const own = settings.models?.allowedEndpoints;
    return own ? { allowedEndpoints: own, allowedBy: 'user' } : {};
  }

  /** A secret as a run finds it (vault, then RPA_SECRET_<NAME>); undefined when it is not set. */
  private secretValue(name: string): string | undefined {
    try {
      return this.options.engine.secretValues([name], 'the connection test').get(name);
    } catch {
      return undefined;
    }
  }

  private schedulesAllowed(): ResponseOf<'settings.get'>['schedules'] {
    try {
      assertSchedulesAllowed(this.options.engine.policyState());
      return { allowed: true };
    } catch (error) {
      return { allowed: false, reason: (error as Error).message };
    }
  }

  private settingsView(): ResponseOf<'settings.get'> {
    const { engine } = this.options;
    const config = readSyncConfig(engine.home);
    const state = engine.outbox.state();
    const settings = readSettings(engine.home);
    return {
      settings,
      settingsFile: engine.home.settingsFile,
      effective: effectiveSettings(engine.policyState(), { settings, ...(config ? { enrolledServer: config.serverUrl } : {}) }),
      models: this.modelEndpoints(settings),
      schedules: this.schedulesAllowed(),
      sync: {
        enrolled: config !== undefined,
        ...(config ? { server: config.serverUrl } : {}),
        deviceId: state.device_id,
        pending: engine.outbox.counts().pending,
        ...(state.last_error ? { lastError: state.last_error } : {}),
      },
    };
  }
}

/** A step's label for the step diff; a step too broken to describe is named by its kind. */
function labelOf(step: Record<string, unknown>): string {
  try {
    return describeStep(step as Step);
  } catch {
    return typeof step['kind'] === 'string' ? step['kind'] : 'step';
  }
}

function scheduleView(s: Schedule): ScheduleView {
  return {
    id: s.id,
    ...(s.name ? { name: s.name } : {}),
    file: s.file,
    cron: s.cron,
    timeZone: s.timeZone,
    paused: s.paused,
    inputs: s.inputs,
    nextFireTimes: s.paused ? [] : nextFireTimes(s.cron, s.timeZone, new Date(), 3).map((d) => d.toISOString()),
  };
}

/** A file's JSON in the layout the studio saves, so the first diff shows changes, not reformatting. */
function formatted(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text;
  }
}

/** Write then rename: a reader never sees half a file. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** The list entry of an automation from its document (which may be partly invalid). */
function summarize(id: string, root: string, file: string, doc: unknown, issues: number, extra: Pick<AutomationSummary, 'writable' | 'package'>): AutomationSummary {
  const d = (doc && typeof doc === 'object' ? doc : {}) as Partial<Automation>;
  return {
    id,
    root,
    name: typeof d.name === 'string' ? d.name : path.basename(file),
    ...(typeof d.id === 'string' ? { automationId: d.id } : {}),
    ...(typeof d.version === 'string' ? { version: d.version } : {}),
    ...(typeof d.description === 'string' ? { description: d.description } : {}),
    inputs: Array.isArray(d.inputs) ? d.inputs : [],
    secrets: Array.isArray(d.secrets) ? d.secrets : [],
    stepCount: Array.isArray(d.steps) ? d.steps.length : 0,
    issues,
    ...extra,
  };
}
