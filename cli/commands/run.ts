// rpa run FILE [--input k=v ...] [--headed] [--json] [--wait-review]
import { parseArgs } from 'node:util';
import type { RunDetail } from '../../engine/api.js';
import type { RunOutcome } from '../../engine/host/cli-api.js';
import { UsageError } from '../../engine/errors.js';
import { displayEnvOf, type DisplayEnv } from '../../engine/runner/display-env.js';
import { parseInputs, parseOrUsage } from '../args.js';
import { formatRunReport } from '../format.js';
import { withEngine } from '../engine-api.js';
import { ProgressPrinter } from '../progress.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('run');

/** How long `rpa run` may stay alive once the run ended and the store is closed. */
export const EXIT_GRACE_MS = 3_000;

/**
 * Whether `rpa run` and `rpa review` leave after the grace below. Off only in a process that runs
 * many command lines one after another and stays alive on purpose (test/helpers/cli-worker.ts).
 */
export const exitGrace = { enabled: true };

/**
 * Once the run has ended and everything of it is closed, nothing should keep the process alive.
 * Should something still do (a browser that would not close, a stray timer or socket), leave
 * after a short grace instead of lingering for ever: a scheduler waiting for `rpa run` to
 * return would wait with it. The timer itself does not hold the process open.
 */
export function exitWhenDone(command: string): void {
  if (!exitGrace.enabled) return;
  const timer = setTimeout(() => {
    const holding = process.getActiveResourcesInfo().filter((resource) => resource !== 'TTYWrap');
    process.stderr.write(`rpa ${command}: still held open ${EXIT_GRACE_MS} ms after the run ended (${holding.join(', ') || 'nothing named'}); exiting\n`);
    process.exit();
  }, EXIT_GRACE_MS);
  timer.unref();
}

/** Exit code of a run that stopped for a human review (the run stays paused, resumable). */
export const EXIT_PAUSED = 5;

export function exitCodeOf(result: Pick<RunOutcome, 'status'>): number {
  return result.status === 'passed' ? 0 : result.status === 'cancelled' ? 130 : result.status === 'paused' ? EXIT_PAUSED : 1;
}

/** Tells the user which review the run waits for and how to resolve it (stderr, so --json stays clean). */
export function reportPause(result: Pick<RunOutcome, 'runId' | 'review'>): void {
  const id = result.review?.id ?? '?';
  process.stderr.write(
    `\nRun ${result.runId} is paused: step ${result.review?.path ?? '?'} waits for review ${id}.\n` +
      `  see it:     rpa reviews\n` +
      `  resolve it: rpa review ${id} --approve | --set field=value … | --reject "reason"\n` +
      `The run resumes where it stopped once the review is resolved (exit code ${EXIT_PAUSED}: paused).\n`,
  );
}


/**
 * This terminal's display (Linux: DISPLAY, WAYLAND_DISPLAY, XAUTHORITY), sent with a run (or a
 * resume) so that a host running it opens its visible browser here. Elsewhere windows go to the
 * user's session.
 */
export function callerDisplay(): DisplayEnv | undefined {
  return process.platform === 'linux' ? displayEnvOf(process.env) : undefined;
}

/** The caller's RPA_SECRET_<NAME> variables: a run in the engine host reads them after its vault, as a run here would. */
export function secretEnvOf(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => /^RPA_SECRET_[A-Z0-9_]+$/.test(entry[0]) && typeof entry[1] === 'string' && entry[1] !== ''));
}

/** Ctrl+C (or SIGTERM) cancels the run; a second Ctrl+C leaves at once. Returns the function that stops listening. */
export function cancelOnSignals(controller: AbortController): () => void {
  const stopSignals = (): void => {
    if (controller.signal.aborted) process.exit(130); // second Ctrl+C: leave now
    process.stderr.write('\ncancelling… (press Ctrl+C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', stopSignals);
  process.on('SIGTERM', stopSignals);
  return () => {
    process.off('SIGINT', stopSignals);
    process.off('SIGTERM', stopSignals);
  };
}

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: { input: { type: 'string', short: 'i', multiple: true }, headed: { type: 'boolean' }, json: { type: 'boolean' }, 'wait-review': { type: 'boolean' } },
      }),
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`expected one automation file, got ${positionals.length}\nusage: ${USAGE}`);
  const inputs = parseInputs(values.input ?? [], USAGE);
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  const progress = values.json ? undefined : new ProgressPrinter();
  try {
    // The bot runs in the engine host when one runs for this RPA_HOME (its one store connection,
    // its vault key, the tray sees it live), else in this process; the events come here either way.
    return await withEngine('rpa run', 'rpa runs', async ({ api, notes }) => {
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      const result = (await api.call(
        'cli.runs.start',
        { file: positionals[0]!, inputs, cwd: process.cwd(), headed: values.headed ?? false, waitReview: values['wait-review'] ?? false, secretEnv: secretEnvOf(process.env), display: callerDisplay() },
        {
          signal: controller.signal,
          onEvent: (event) => {
            if (values.json) process.stdout.write(`${JSON.stringify(event)}\n`);
            else progress?.onEvent(event);
          },
        },
      )) as RunOutcome;
      progress?.stop();
      if (!values.json) {
        const detail = (await api.call('cli.runs.show', { run: result.runId })) as RunDetail | null;
        if (detail) process.stdout.write(`\n${formatRunReport(detail)}\n`);
      }
      if (result.status === 'paused') reportPause(result);
      return exitCodeOf(result);
    });
  } finally {
    progress?.stop();
    stopListening();
    exitWhenDone('run');
  }
}
