// Builds what the agent hosts besides folder triggers: queue workers (and the scheduler).
import type { RunResult } from '../api.js';
import type { WorkQueue } from '../queue/index.js';
import { schedulerService } from '../schedule/service.js';
import type { Database } from '../store/database.js';
import type { AgentLog, AgentService, RunRequest } from './agent.js';
import type { AgentConfig } from './config.js';
import type { WorkGate } from './policy-watch.js';
import { QueueWorker } from './queue-worker.js';
import { warmOcr } from '../ocr/tesseract.js';

export interface ServiceDeps {
  /** The audit upload loop, when this machine is enrolled. */
  sync?: AgentService | undefined;
  db: Database;
  config: AgentConfig;
  queue: WorkQueue;
  /** The central queue at a server (agent.json queues[].server); absent: such a queue cannot be worked. */
  queueAt?: (serverUrl: string) => WorkQueue;
  runBot: (request: RunRequest) => Promise<RunResult>;
  log: AgentLog;
  runsByTrigger?: (trigger: string) => Array<{ id: string; status: string }>;
  /** False when the machine policy does not allow schedules: the scheduler is not started. */
  schedulesAllowed?: boolean;
  /** Shut while the machine policy is invalid: queue workers lease nothing then. */
  gate?: WorkGate;
}

export function agentServices(deps: ServiceDeps): Record<string, AgentService> {
  const services: Record<string, AgentService> = {};
  // A run that fails is in the store and the log; the scheduler only needs to know it ended.
  if (deps.schedulesAllowed !== false) services['schedules'] = schedulerService({ db: deps.db, runBot: (request) => deps.runBot(request).catch(() => undefined), log: deps.log });
  else deps.log('warn', 'schedules are not allowed by the machine policy; the scheduler is not started (queues and folder triggers still run)');
  if (deps.sync) services['audit-sync'] = deps.sync;
  services['ocr-warm'] = ocrWarmService(deps.log);
  for (const queue of deps.config.queues) {
    let workQueue = deps.queue;
    if (queue.server !== undefined) {
      if (!deps.queueAt) throw new Error(`queue ${queue.queue} is on the server ${queue.server}, but this agent cannot reach central queues`);
      workQueue = deps.queueAt(queue.server);
    }
    const key = queue.server === undefined ? `queue:${queue.queue}` : `queue:${queue.queue}@${queue.server}`;
    services[key] = new QueueWorker(workQueue, queue, deps.runBot, deps.log, deps.runsByTrigger, deps.gate);
  }
  return services;
}

/** Starts the OCR worker in the background at agent start, so the first scanned page of a run is read warm. */
function ocrWarmService(log: AgentLog): AgentService {
  let state: { warm: boolean; startMs?: number } = { warm: false };
  return {
    start: () => {
      void warmOcr().then((ms) => {
        if (ms === undefined) return log('warn', 'the OCR worker could not be started ahead; the first scanned page will start it');
        state = { warm: true, startMs: Math.round(ms) };
      });
    },
    stop: () => Promise.resolve(),
    status: () => state,
  };
}
