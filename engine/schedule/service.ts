// Wires a Scheduler to the agent: a fire becomes a run (trigger `schedule:<id>`), skips,
// wakes and errors become log lines. The agent's services factory can return this as is.
import type { Database } from '../store/database.js';
import { ScheduleStore } from './schedule-store.js';
import { Scheduler, type Clock } from './scheduler.js';

export interface ScheduleRunRequest {
  file: string;
  inputs: Record<string, unknown>;
  trigger: string;
  maxRunMs: number | undefined;
}

export interface SchedulerServiceDeps {
  db: Database;
  /** Starts a run; resolves when it has ended (any status). */
  runBot: (request: ScheduleRunRequest) => Promise<unknown>;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  clock?: Clock;
}

export function schedulerService(deps: SchedulerServiceDeps): Scheduler {
  const { log } = deps;
  const label = (s: { id: string; name: string | undefined }): string => (s.name ? `${s.id} (${s.name})` : s.id);
  return new Scheduler({
    store: new ScheduleStore(deps.db),
    ...(deps.clock ? { clock: deps.clock } : {}),
    async onFire(s, scheduledFor) {
      log('info', `schedule ${label(s)}: starting ${s.file} for ${scheduledFor.toISOString()}`);
      await deps.runBot({ file: s.file, inputs: s.inputs, trigger: `schedule:${s.id}`, maxRunMs: s.maxRunMs });
    },
    onSkip(s, reason, scheduledFor) {
      const why = {
        overlap: 'the previous run is still going',
        'queue-full': 'a fire is already queued behind the running one',
        'max-concurrent': `${s.maxConcurrent} runs are already going`,
        missed: 'it was missed (machine asleep or agent stopped) and its missed-run policy is skip',
        paused: 'it fell due while schedules were paused',
      }[reason];
      log('warn', `schedule ${label(s)}: skipped the ${scheduledFor.toISOString()} fire: ${why}`);
    },
    onWake(lateMs) {
      log('info', `woke up after about ${Math.round(lateMs / 60_000)} min asleep; applying missed-run policies`);
    },
    onError(error, s) {
      log('error', `${s ? `schedule ${label(s)}: ` : 'scheduler: '}${error instanceof Error ? error.message : String(error)}`);
    },
  });
}
