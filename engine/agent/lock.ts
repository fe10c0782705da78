// One agent per user (per RPA_HOME): a lock file holding the owner's pid. A lock left by
// a process that is gone (crash, kill, power loss) is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import { RpaError } from '../errors.js';

export class AgentAlreadyRunningError extends RpaError {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface AgentLock {
  release(): void;
}

export function acquireAgentLock(file: string): AgentLock {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }));
      closeSync(fd);
      return {
        release: () => {
          try {
            const owner = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number };
            if (owner.pid === process.pid) rmSync(file, { force: true });
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: { pid?: number; host?: string; startedAt?: string } = {};
      try {
        owner = JSON.parse(readFileSync(file, 'utf8')) as typeof owner;
      } catch {
        // half-written or corrupt: treat as stale
      }
      if (owner.pid && (owner.host === undefined || owner.host === os.hostname()) && alive(owner.pid)) {
        throw new AgentAlreadyRunningError(`another agent is already running for this RPA_HOME (pid ${owner.pid}, since ${owner.startedAt ?? '?'}: rpa agent, rpa studio or the desktop app hosts it); only one engine host runs per RPA_HOME: stop it first, or use another RPA_HOME`, { pid: owner.pid });
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new RpaError(`could not take the agent lock ${file}`);
}
