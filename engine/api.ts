// The engine's one API. The CLI calls it in-process; the desktop app and `rpa studio`
// will reach the same calls over IPC / WebSocket.
import type { RunEvent } from './events.js';
import { MissingSecretError } from './errors.js';
import { loadAutomation, requiredSecrets, type LoadedAutomation } from './format/load.js';
import { readSettings, resolveHome, type RpaHome } from './home.js';
import { findBrowser } from './runner/browser-finder.js';
import { Run, type RunResult } from './runner/runner.js';
import { envSecretProvider, resolveSecrets, type SecretProvider } from './secrets.js';
import type { AuditOutbox } from './sync/outbox.js';
import { otlpTracesUrl, RunTracer } from './telemetry/run-tracer.js';
import { SqliteWorkQueue, type WorkQueue } from './queue/index.js';
import { Vault, vaultSecretProvider, type VaultKeySource } from './vault/vault.js';
import { RunStore, type ListRunsOptions, type RunDetail, type RunSummary } from './store/run-store.js';

export type { RunResult } from './runner/runner.js';
export type { RunDetail, RunSummary } from './store/run-store.js';

export interface EngineOptions {
  env?: NodeJS.ProcessEnv;
  secrets?: SecretProvider;
  /** Where the vault key comes from (e.g. Electron safeStorage); default RPA_VAULT_KEY or <RPA_HOME>/vault.key. */
  vaultKey?: VaultKeySource;
}

export interface StartRunRequest {
  file: string;
  inputs?: Record<string, unknown>;
  headed?: boolean;
  signal?: AbortSignal;
  /** Stop the run (status timed_out) when it takes longer than this. */
  maxRunMs?: number;
  /** What started the run: manual, schedule:<id>, folder:<path>, queue:<item id>. Logged. */
  trigger?: string;
}

export type RunEventListener = (event: RunEvent) => void;

export class Engine {
  private readonly listeners = new Set<RunEventListener>();
  private openedQueue: SqliteWorkQueue | undefined;
  /** Runs found 'running' from a process that is gone, marked interrupted at open. */
  readonly interruptedAtOpen: string[];

  private constructor(
    readonly home: RpaHome,
    private readonly store: RunStore,
    private readonly env: NodeJS.ProcessEnv,
    private readonly secrets: SecretProvider,
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
    const store = RunStore.open(home.storeFile);
    let vault: Vault | undefined;
    try {
      if (!options.secrets) vault = Vault.open(home, env, options.vaultKey ? { keySource: options.vaultKey } : {});
    } catch (error) {
      store.close();
      throw error;
    }
    // Secrets: the encrypted vault first, then RPA_SECRET_<NAME> from the environment.
    const secrets = options.secrets ?? vaultSecretProvider(vault!, envSecretProvider(env));
    return new Engine(home, store, env, secrets, vault);
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
   * Validates, checks inputs and secrets, then runs. Anything wrong before the first step
   * throws (and records nothing); once started, the outcome is in the result and the store.
   */
  async run(request: StartRunRequest, onEvent?: RunEventListener): Promise<RunResult> {
    const automation = loadAutomation(request.file);
    const secretNames = requiredSecrets(automation);
    const secrets = secretNames.size ? resolveSecrets(secretNames, this.secrets, automation.displayFile) : new Map<string, string>();
    for (const [name, value] of secrets) {
      if (value.length < 2) throw new MissingSecretError(`secret "${name}" is a single character; that cannot be kept out of logs safely`);
    }
    const settings = readSettings(this.home);
    const headless = request.headed ? false : (settings.browser?.headless ?? true);
    const run = new Run(automation, {
      inputs: request.inputs ?? {},
      headless,
      browserPath: () => findBrowser({ configured: settings.browser?.executablePath, env: this.env }),
      artifactsDir: this.home.artifactsDir,
      secrets,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.maxRunMs ? { maxRunMs: request.maxRunMs } : {}),
      ...(request.trigger ? { trigger: request.trigger } : {}),
      workQueue: () => this.queue,
      onEvent: (event) => {
        // The store first: a listener that reads the store sees what the event says.
        this.store.record(event);
        onEvent?.(event);
        for (const listener of this.listeners) listener(event);
      },
    });
    return run.execute();
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

  /** The local durable work queue (same SQLite file as the run store). */
  get queue(): WorkQueue {
    this.openedQueue ??= SqliteWorkQueue.open(this.home.storeFile);
    return this.openedQueue;
  }

  close(): void {
    void this.tracer?.shutdown();
    void this.openedQueue?.close();
    this.store.close();
    this.vault?.close();
  }
}
