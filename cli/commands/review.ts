// rpa review ID --approve | --set field=value … | --reject "reason" [--by NAME] [--no-resume] [--json]
// rpa review --resume RUN_ID
// Records the decision, then resumes the paused run (progress as for rpa run): in the engine
// host when one runs, else in this process.
import { personAtThisMachine } from '../../engine/review/reviewer.js';
import { parseArgs } from 'node:util';
import type { ReviewAnswer, ReviewTask, RunDetail } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import type { RunOutcome } from '../../engine/host/cli-api.js';
import { UsageError } from '../../engine/errors.js';
import { parseInputs, parseOrUsage } from '../args.js';
import { formatRunReport } from '../format.js';
import { withEngine } from '../engine-api.js';
import { ProgressPrinter } from '../progress.js';
import { callerDisplay, exitCodeOf, exitWhenDone, reportPause, secretEnvOf } from './run.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('review');

function answerOf(values: { approve?: boolean | undefined; set?: string[] | undefined; reject?: string | undefined }): ReviewAnswer {
  const given = [values.approve, values.set?.length, values.reject !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UsageError(`expected exactly one of --approve, --set field=value, --reject "reason"\nusage: ${USAGE}`);
  if (values.approve) return { approve: true };
  if (values.reject !== undefined) return { reject: values.reject };
  return { set: parseInputs(values.set ?? [], USAGE) };
}

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          approve: { type: 'boolean' },
          set: { type: 'string', multiple: true },
          reject: { type: 'string' },
          by: { type: 'string' },
          'no-resume': { type: 'boolean' },
          resume: { type: 'string' },
          json: { type: 'boolean' },
        },
      }),
    USAGE,
  );
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const progress = values.json ? undefined : new ProgressPrinter();
  const onEvent = values.json ? (event: RunEvent) => process.stdout.write(`${JSON.stringify(event)}\n`) : (event: RunEvent) => progress?.onEvent(event);
  try {
    // Through the engine host when one runs (the resumed run runs there, its events come here); else in this process.
    return await withEngine('rpa review', 'rpa reviews --all', async ({ api }) => {
      let result: RunOutcome | undefined;
      if (values.resume !== undefined) {
        if (positionals.length) throw new UsageError(`--resume takes a run id and no review id\nusage: ${USAGE}`);
        result = (await api.call('cli.runs.resume', { run: values.resume, secretEnv: secretEnvOf(process.env), display: callerDisplay() }, { onEvent, signal: controller.signal })) as RunOutcome;
      } else {
        if (positionals.length !== 1) throw new UsageError(`expected one review id\nusage: ${USAGE}`);
        const answer = answerOf(values);
        const by = values.by ?? personAtThisMachine();
        const outcome = (await api.call('cli.reviews.resolve', { review: positionals[0]!, answer, by, resume: !values['no-resume'], secretEnv: secretEnvOf(process.env), display: callerDisplay() }, { onEvent, signal: controller.signal })) as {
          task: ReviewTask;
          note?: string;
          result?: RunOutcome;
        };
        if (!values.json) {
          progress?.stop();
          console.log(`review ${outcome.task.id} ${outcome.task.status} by ${by}`);
          if (outcome.note) console.log(outcome.note);
        }
        result = outcome.result;
      }
      if (!result) return 0;
      progress?.stop();
      if (!values.json) {
        const detail = (await api.call('cli.runs.show', { run: result.runId })) as RunDetail | null;
        if (detail) process.stdout.write(`\n${formatRunReport(detail)}\n`);
        if (result.status === 'paused') reportPause(result);
      }
      return exitCodeOf(result);
    });
  } finally {
    progress?.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    // A resumed run may have opened a browser: the same exit guarantee as rpa run.
    exitWhenDone('review');
  }
}
