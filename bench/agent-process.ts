// bench/agent-process: idle CPU of the whole `rpa agent` process (not just the scheduler):
// 1,000 schedules whose next fire is far away, one queue polled every second, one watched
// folder polled every half second, the status file rewritten every 2 s. CPU from /proc over
// 30 s after a settling period. Linux only. Writes bench/results/agent-process.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScheduleStore } from '../engine/schedule/schedule-store.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rpa = path.join(root, 'dist', 'cli', 'rpa.js');
const quick = process.argv.includes('--quick');
const windowS = quick ? 10 : 30;
const TICKS_PER_S = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

const home = mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-agent-'));
const automation = path.join(root, 'automations', 'examples', 'review-claim-item.json');
const store = ScheduleStore.open(path.join(home, 'runs.db'));
for (let i = 0; i < 1000; i++) store.add({ file: automation, cron: `${i % 60} ${i % 24} 1 1 *`, inputs: { claimNumber: 'CLM-2004-000001', amount: 1 }, name: `s${i}` });
store.close();
mkdirSync(path.join(home, 'inbox'));
writeFileSync(
  path.join(home, 'agent.json'),
  JSON.stringify({
    queues: [{ queue: 'idle', automation, pollMs: 1000 }],
    folders: [{ id: 'inbox', folder: path.join(home, 'inbox'), automation: path.join(root, 'automations', 'examples', 'claim-statuses.json'), input: 'claimsCsv' }],
  }),
);
const agent = spawn(process.execPath, [rpa, 'agent'], { env: { ...process.env, RPA_HOME: home }, stdio: 'ignore' });
await new Promise((resolve) => setTimeout(resolve, 8_000));
const before = cpuTicks(agent.pid!);
await new Promise((resolve) => setTimeout(resolve, windowS * 1000));
const after = cpuTicks(agent.pid!);
agent.kill('SIGTERM');
await new Promise((resolve) => agent.once('exit', resolve));
const cpuPercent = ((after - before) / TICKS_PER_S / windowS) * 100;
const result = {
  benchmark: 'bench/agent-process',
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
  setup: { schedules: 1000, queuePollMs: 1000, folderPollMs: 500, statusEveryMs: 2000, windowS },
  idleCpuPercentOfOneCore: Number(cpuPercent.toFixed(3)),
  target: { idleCpuPercent: 1, met: cpuPercent < 1 },
};
console.log(`rpa agent idle: ${result.idleCpuPercentOfOneCore}% of one core over ${windowS} s (target < 1%: ${result.target.met ? 'MET' : 'MISSED'})`);
if (!quick) writeFileSync(path.join(root, 'bench', 'results', 'agent-process.json'), `${JSON.stringify(result, null, 2)}\n`);
