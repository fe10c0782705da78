// Test support: builds a well-formed event stream for one run the way the runner
// stamps it (runId, 1-based seq, increasing ts), so tests state only what matters.
import type { AutomationRef, RunEvent, RunEventBody, RunEventOf } from '../events.js';

export const demoAutomation: AutomationRef = {
  id: 'invoice-entry',
  name: 'Invoice entry',
  version: '1.2.0',
  file: '/automations/invoice-entry.rpa.json',
  sha256: 'ab'.repeat(32),
};

export class FakeRun {
  seq = 0;

  constructor(
    readonly runId: string,
    /** Start time; each event is one second after the previous one. */
    readonly startMs = Date.parse('2025-03-01T09:00:00.000Z'),
  ) {}

  /** Stamps a body with this run's id, the next seq and its timestamp. */
  next<B extends RunEventBody>(body: B): RunEvent {
    this.seq += 1;
    return { ...body, runId: this.runId, seq: this.seq, ts: this.tsOf(this.seq) };
  }

  tsOf(seq: number): string {
    return new Date(this.startMs + (seq - 1) * 1000).toISOString();
  }

  started(over: Partial<Omit<RunEventOf<'run.started'>, 'type' | 'runId' | 'seq' | 'ts'>> = {}): RunEvent {
    return this.next({
      type: 'run.started',
      automation: demoAutomation,
      inputs: {},
      headless: true,
      pid: process.pid,
      totalSteps: 1,
      ...over,
    });
  }

  stepStarted(path: string, attempt = 1, kind = 'click', label = `step ${path}`): RunEvent {
    const top = Number.parseInt(path, 10);
    return this.next({ type: 'step.started', path, kind, label, attempt, topIndex: Number.isNaN(top) ? 1 : top });
  }

  stepSucceeded(path: string, attempt = 1, kind = 'click'): RunEvent {
    return this.next({ type: 'step.succeeded', path, kind, attempt, durationMs: 12 });
  }

  finished(status: 'passed' | 'failed' | 'cancelled' = 'passed'): RunEvent {
    return this.next({ type: 'run.finished', status, durationMs: 1000, outputs: {}, vars: {} });
  }
}
