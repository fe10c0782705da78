// Live progress of a run in a terminal: one line that updates in place on a TTY
// (step n/m, step name, elapsed), one line per finished step elsewhere (CI logs).
import type { RunEvent } from '../engine/events.js';
import { color, formatDuration } from './format.js';

export class ProgressPrinter {
  private total = 0;
  private current = '';
  private startedAt = Date.now();
  private ticker: NodeJS.Timeout | undefined;
  private readonly labels = new Map<string, string>();

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  private get live(): boolean {
    return this.out.isTTY === true;
  }

  private draw(): void {
    if (!this.live || !this.current) return;
    const elapsed = formatDuration(Date.now() - this.startedAt);
    const width = (this.out.columns || 100) - 1;
    this.out.write(`\r\x1b[K${`${this.current}  ${color.dim(elapsed)}`.slice(0, width + 20)}`);
  }

  private println(text: string): void {
    if (this.live) this.out.write('\r\x1b[K');
    this.out.write(`${text}\n`);
    this.draw();
  }

  onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'run.started':
        this.total = event.totalSteps;
        this.startedAt = Date.now();
        this.println(`${color.bold(event.automation.name)} ${color.dim(`${event.automation.id} ${event.automation.version} · run ${event.runId}`)}`);
        if (this.live) this.ticker = setInterval(() => this.draw(), 250);
        break;
      case 'step.started':
        this.labels.set(event.path, event.label);
        this.current = `step ${event.topIndex}/${this.total}  ${event.path === String(event.topIndex) ? '' : `${event.path} `}${event.label}`;
        this.draw();
        break;
      case 'step.succeeded':
        if (event.locator?.healed) this.println(`  ${color.yellow('~')} ${event.path} ${this.labels.get(event.path) ?? ''}  healed: ${event.locator.healed.from} → ${event.locator.description} (score ${event.locator.healed.score.toFixed(2)})`);
        else if (!this.live) this.println(`  ${color.green('✓')} ${event.path} ${this.labels.get(event.path) ?? ''}  ${formatDuration(event.durationMs)}${event.locator?.fallback ? `  (fallback locator ${event.locator.description})` : ''}`);
        break;
      case 'step.failed':
        this.println(`  ${color.red('✗')} ${event.path} ${this.labels.get(event.path) ?? ''}: ${event.error.message.split('\n')[0]}${event.willRetry ? color.dim('  (will retry)') : ''}`);
        break;
      case 'log':
        if (event.level !== 'debug') this.println(`  ${event.level === 'info' ? color.dim('·') : color.yellow('!')} ${event.message}`);
        break;
      case 'run.revised':
        // The rest of the run has another number of steps: the counter follows it.
        this.total = event.totalSteps;
        this.println(`  ${color.yellow('!')} from step ${event.path} on, the run follows ${event.saved ? `version ${event.savedVersion ?? '?'} saved in the studio` : 'an unsaved revision'} (sha256 ${event.automation.sha256.slice(0, 12)}…, ${event.totalSteps} steps)`);
        break;
      case 'run.finished':
        if (this.ticker) clearInterval(this.ticker);
        this.current = '';
        if (this.live) this.out.write('\r\x1b[K');
        break;
      default:
        break;
    }
  };

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
  }
}
