// file.writeCsv: writes a list of row objects to a CSV file, atomically.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { RpaError } from '../../errors.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';

export const writeCsv: StepHandler<StepOf<'file.writeCsv'>> = async (step, ctx) => {
  const rows = ctx.render(step.rows);
  if (!Array.isArray(rows)) throw new RpaError(`file.writeCsv rows must be a list, got ${rows === null ? 'null' : typeof rows}`);
  const list = rows as unknown[];
  const columns = step.columns ?? [...new Set(list.flatMap((row) => (row && typeof row === 'object' ? Object.keys(row) : [])))];
  const file = ctx.resolvePath(ctx.renderText(step.file));
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, stringify(list, { header: true, columns }));
  await rename(temporary, file);
  ctx.announceFile(file);
  ctx.log('info', `wrote ${list.length} row${list.length === 1 ? '' : 's'} to ${file}`);
};
