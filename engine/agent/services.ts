// Builds what the agent hosts besides folder triggers: queue workers (and the scheduler).
import type { RunResult } from '../api.js';
import type { WorkQueue } from '../queue/index.js';
import type { AgentLog, AgentService, RunRequest } from './agent.js';
import type { AgentConfig } from './config.js';
import { QueueWorker } from './queue-worker.js';

export interface ServiceDeps {
  storeFile: string;
  config: AgentConfig;
  queue: WorkQueue;
  runBot: (request: RunRequest) => Promise<RunResult>;
  log: AgentLog;
}

export function agentServices(deps: ServiceDeps): Record<string, AgentService> {
  const services: Record<string, AgentService> = {};
  for (const queue of deps.config.queues) services[`queue:${queue.queue}`] = new QueueWorker(deps.queue, queue, deps.runBot, deps.log);
  return services;
}
