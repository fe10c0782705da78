// The agent's part in human review: a paused run must not wait on the agent, and must go on
// once a person resolved its review. Every poll resumes the paused runs whose review was
// resolved but that nobody resumed (resolved with --no-resume, from another app, or the
// resolving process died).
import type { RunResult } from '../api.js';
import type { AgentLog, AgentService } from '../agent/agent.js';
import { abortableSleep } from '../runner/timing.js';

export const RESUME_POLL_MS = 2_000;

export class ReviewResumer implements AgentService {
  private readonly controller = new AbortController();
  private loop: Promise<void> | undefined;
  private resumed = 0;

  constructor(
    private readonly resumeResolved: () => Promise<RunResult[]>,
    private readonly log: AgentLog,
    private readonly pollMs = RESUME_POLL_MS,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
  }

  status(): unknown {
    return { resumed: this.resumed };
  }

  private async run(): Promise<void> {
    while (!this.controller.signal.aborted) {
      try {
        for (const result of await this.resumeResolved()) {
          this.resumed++;
          this.log(result.status === 'passed' ? 'info' : 'warn', `run ${result.runId} resumed after its review: ${result.status}${result.error ? ` (${result.error.message.split('\n')[0]})` : ''}`);
        }
      } catch (error) {
        this.log('error', `could not resume a reviewed run: ${(error as Error).message.split('\n')[0]}`);
      }
      await abortableSleep(this.pollMs, this.controller.signal).catch(() => undefined);
    }
  }
}
