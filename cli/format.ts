// Text formatting shared by the commands: durations, times, the run report.
import type { RunDetail } from '../engine/api.js';
import { describeSigner } from '../engine/package/verify.js';

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

const useColor = process.stdout.isTTY && !process.env['NO_COLOR'];
const paint = (code: string) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
export const color = { green: paint('32'), red: paint('31'), yellow: paint('33'), dim: paint('2'), bold: paint('1') };

export function statusText(status: string): string {
  if (status === 'passed') return color.green('passed');
  if (status === 'failed') return color.red('failed');
  if (status === 'running') return color.yellow('running');
  return color.yellow(status);
}

function value(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text === undefined ? 'undefined' : text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** A dollar amount to a millionth, without trailing zeros: $0.00152. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;
}

function tokens(usage: { inputTokens: number; outputTokens: number } | undefined): string {
  return usage ? `${usage.inputTokens} in / ${usage.outputTokens} out` : 'tokens unknown';
}

/** The "Model calls" section: one row per call, and its attempts when there were retries or it failed. */
export function formatModelCalls(run: Pick<RunDetail, 'modelCalls' | 'modelCostUsd'>): string[] {
  if (!run.modelCalls.length) return [];
  const calls = run.modelCalls;
  const lines = [color.bold('Model calls') + `  ${calls.length} call${calls.length === 1 ? '' : 's'}${run.modelCostUsd !== undefined ? `, ${formatUsd(run.modelCostUsd)} in all` : ''}${calls.some((c) => c.shadow) ? ' (shadow calls included)' : ''}`];
  const width = Math.max(...calls.map((c) => c.path.length), 4);
  for (const call of calls) {
    const prompts = [call.prompt ? `${call.prompt.id}@${call.prompt.version}` : undefined, call.systemPrompt].filter(Boolean).join(' · ') || '—';
    const status = call.status === 'succeeded' ? color.green('succeeded') : color.red(call.status);
    const cells = [
      call.path.padEnd(width),
      call.provider,
      call.model,
      prompts,
      `${call.attempts} attempt${call.attempts === 1 ? '' : 's'}`,
      tokens(call.usage),
      call.costUsd !== undefined ? formatUsd(call.costUsd) : 'no price',
      formatDuration(call.latencyMs),
      status,
    ];
    lines.push(`  ${cells.join('  ')}${call.shadow ? color.yellow('  shadow (recorded only)') : ''}`);
    if (call.error) lines.push(`      ${color.red(call.error.split('\n')[0]!)}`);
    if (call.attempts > 1 || call.status !== 'succeeded') {
      for (const a of call.attemptLog) {
        const why = a.outcome === 'ok' ? '' : `  ${(a.error ?? '').split('\n')[0]!.slice(0, 120)}`;
        lines.push(color.dim(`      attempt ${a.attempt}  ${a.outcome}${a.httpStatus ? ` ${a.httpStatus}` : ''}  ${tokens(a.usage)}${a.costUsd !== undefined ? `  ${formatUsd(a.costUsd)}` : ''}  ${formatDuration(a.latencyMs)}${why}`));
      }
    }
  }
  return lines;
}

/** The run report of `rpa run` and `rpa show`. */
export function formatRunReport(run: RunDetail): string {
  const lines: string[] = [];
  lines.push(color.bold(`Run ${run.id}`) + `  ${statusText(run.status)}`);
  lines.push(`  automation  ${run.automationName} (${run.automationId} ${run.automationVersion})${run.automationFile ? `  ${run.automationFile}` : ''}`);
  if (run.package) {
    const signer = run.package.signer;
    lines.push(`  package     sha256 ${run.package.sha256}  ${signer ? `signed by ${describeSigner(signer)}` : 'unsigned'}`);
  }
  lines.push(`  started     ${formatTime(run.startedAt)}   ended ${formatTime(run.endedAt)}   took ${formatDuration(run.durationMs)}`);
  lines.push(`  host        ${run.host} pid ${run.pid}${run.headless ? ', headless' : ', headed'}`);
  const inputs = Object.entries(run.inputs);
  if (inputs.length) lines.push(`  inputs      ${inputs.map(([k, v]) => `${k}=${value(v)}`).join('  ')}`);
  lines.push('');
  lines.push(color.bold('Steps'));
  for (const step of run.steps) {
    const mark = step.status === 'passed' ? color.green('✓') : step.status === 'failed' ? color.red('✗') : color.yellow('…');
    const retry = step.attempt > 1 ? color.dim(` (attempt ${step.attempt})`) : '';
    const locator = step.locator ? color.dim(`  via ${step.locator.description}${step.locator.fallback ? ' (fallback)' : ''}`) : '';
    lines.push(`  ${mark} ${step.path.padEnd(10)} ${step.label}${retry}  ${formatDuration(step.durationMs)}${locator}${step.status === 'interrupted' ? color.yellow('  interrupted') : ''}`);
    if (step.error) lines.push(`      ${color.red(`${step.error.name}: ${step.error.message.split('\n')[0]}`)}`);
  }
  if (run.revisions.length) {
    lines.push('');
    lines.push(color.bold('Revised while paused in the studio'));
    for (const r of run.revisions) lines.push(`  ${color.yellow('!')} from step ${r.path} on: ${r.saved ? `version ${r.savedVersion ?? '?'} (saved)` : 'an unsaved revision'}, ${r.totalSteps} steps, sha256 ${r.sha256} (was ${r.previousSha256.slice(0, 12)}…)`);
  }
  const notable = run.logs.filter((log) => log.level === 'warn' || log.level === 'error' || log.level === 'info');
  if (notable.length) {
    lines.push('');
    lines.push(color.bold('Log'));
    for (const log of notable) lines.push(`  ${log.level.padEnd(5)} ${log.path ? `[${log.path}] ` : ''}${log.message}`);
  }
  const outputs = Object.entries(run.outputs);
  if (outputs.length) {
    lines.push('');
    lines.push(color.bold('Outputs'));
    for (const [name, v] of outputs) lines.push(`  ${name} = ${value(v)}`);
  }
  const modelCalls = formatModelCalls(run);
  if (modelCalls.length) lines.push('', ...modelCalls);
  if (run.artifacts.length) {
    lines.push('');
    lines.push(color.bold('Artifacts'));
    for (const artifact of run.artifacts) lines.push(`  ${artifact.kind.padEnd(10)} ${artifact.file}  (${artifact.bytes} bytes${artifact.path ? `, step ${artifact.path}` : ''})`);
  }
  if (run.error) {
    lines.push('');
    lines.push(color.red(`Failed${typeof run.error.details?.['step'] === 'string' ? ` at step ${run.error.details['step']}` : ''}: ${run.error.name}: ${run.error.message}`));
  }
  if (run.status === 'interrupted') {
    lines.push('');
    lines.push(color.yellow('The process running this bot stopped before the run finished (crash, kill or power loss). Steps after the last ✓ may or may not have taken effect in the target system: check it before running again.'));
  }
  return lines.join('\n');
}
