// rpa reviews [--json] [--all]          open review tasks (with --all, resolved ones too)
// rpa reviews export --jsonl FILE       resolved reviews as labelled examples, one JSON per line
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ReviewTask } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { parseOrUsage } from '../args.js';
import { withEngine } from '../engine-api.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('reviews');

function age(createdAt: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(createdAt)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}

/** Each field with its confidence when the task has per-field details (ai.extract). */
function fieldsOf(task: ReviewTask): Array<{ name: string; value: unknown; confidence?: number; problems?: string[] }> {
  const details = (task.details['fields'] ?? {}) as Record<string, { confidence?: number; problems?: string[] }>;
  return Object.entries(task.values).map(([name, value]) => ({ name, value, ...(details[name] ? { confidence: details[name].confidence, problems: details[name].problems } : {}) }));
}

export async function main(args: string[]): Promise<number> {
  if (args[0] === 'export') return exportExamples(args.slice(1));
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, all: { type: 'boolean' } } }), USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}\nusage: ${USAGE}`);
  // Through the engine host when one runs; else from the store itself.
  const tasks = await withEngine('rpa reviews', 'rpa reviews', async ({ api }) => (await api.call('cli.reviews.list', { all: values.all ?? false })) as ReviewTask[]);
  if (values.json) {
    for (const task of tasks) {
      process.stdout.write(
        `${JSON.stringify({ id: task.id, runId: task.runId, automation: task.automationId, step: task.stepPath, title: task.title, status: task.status, createdAt: task.createdAt, resolvedAt: task.resolvedAt ?? null, resolvedBy: task.resolvedBy ?? null, fields: fieldsOf(task), instructions: task.instructions ?? null })}\n`,
      );
    }
    return 0;
  }
  if (!tasks.length) {
    console.log(values.all ? 'no review tasks' : 'no open review tasks');
    return 0;
  }
  for (const task of tasks) {
    console.log(`${task.id}  ${task.status.padEnd(9)}  ${age(task.createdAt).padStart(6)}  ${task.title}`);
    console.log(`  run ${task.runId} (${task.automationId}), step ${task.stepPath}`);
    for (const field of fieldsOf(task)) {
      const confidence = field.confidence === undefined ? '' : `  ${Math.round(field.confidence * 100)}%`;
      const problems = field.problems?.length ? `  ⚠ ${field.problems.join('; ')}` : '';
      console.log(`    ${field.name} = ${JSON.stringify(field.value)}${confidence}${problems}`);
    }
  }
  if (!values.all) console.log(`\nresolve: rpa review ID --approve | --set field=value … | --reject "reason"`);
  return 0;
}

async function exportExamples(args: string[]): Promise<number> {
  const usage = 'rpa reviews export --jsonl FILE';
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { jsonl: { type: 'string' } } }), usage);
  if (positionals.length || !values.jsonl) throw new UsageError(`expected --jsonl FILE\nusage: ${usage}`);
  const examples = await withEngine('rpa reviews export', 'rpa reviews --all', async ({ api }) => (await api.call('cli.reviews.examples', {})) as Array<Record<string, unknown>>);
  writeFileSync(values.jsonl, examples.map((example) => `${JSON.stringify(example)}\n`).join(''));
  console.log(`${examples.length} labelled example${examples.length === 1 ? '' : 's'} written to ${values.jsonl}`);
  return 0;
}
