// Builds what the agent hosts besides folder triggers: the scheduler and queue workers.
import type { RunResult } from '../api.js';
import type { Database } from '../store/database.js';
import type { AgentLog, AgentService, RunRequest } from './agent.js';
import type { AgentConfig } from './config.js';

export interface ServiceDeps {
  db: Database;
  config: AgentConfig;
  runBot: (request: RunRequest) => Promise<RunResult>;
  log: AgentLog;
}

export function agentServices(deps: ServiceDeps): Record<string, AgentService> {
  void deps;
  return {};
}
