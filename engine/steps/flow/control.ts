// flow.set, flow.if, flow.forEach, flow.try, flow.call, flow.fail, log
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ApplicationError, BusinessError, CancelledError, InputDeliveredError, RpaError, serializeError } from '../../errors.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';
import { evaluateCondition } from './condition.js';

export const set: StepHandler<StepOf<'flow.set'>> = (step, ctx) => {
  const value = ctx.render(step.value);
  if (step.append) {
    const current = ctx.vars[step.var];
    if (current !== undefined && !Array.isArray(current)) throw new RpaError(`variable "${step.var}" holds ${typeof current}, not a list; cannot append`);
    ctx.vars[step.var] = [...((current as unknown[] | undefined) ?? []), value];
  } else {
    ctx.vars[step.var] = value;
  }
  return Promise.resolve();
};

export const ifStep: StepHandler<StepOf<'flow.if'>> = async (step, ctx) => {
  const outcome = await evaluateCondition(step.condition, ctx);
  ctx.log('debug', `condition is ${outcome}`);
  if (outcome) await ctx.runSteps(step.then, 'then');
  else if (step.else) await ctx.runSteps(step.else, 'else');
};

async function itemsOf(step: StepOf<'flow.forEach'>, ctx: Parameters<StepHandler>[1]): Promise<unknown[]> {
  if (step.csv) {
    const file = ctx.resolvePath(ctx.renderText(step.csv.file));
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new RpaError(`cannot read CSV ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    try {
      return parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, delimiter: step.csv.delimiter ?? ',' });
    } catch (error) {
      throw new RpaError(`${file}: ${(error as Error).message}`);
    }
  }
  const items = ctx.render(step.items);
  if (!Array.isArray(items)) throw new RpaError(`flow.forEach items must be a list, got ${items === null ? 'null' : typeof items}`);
  return items as unknown[];
}

export const forEach: StepHandler<StepOf<'flow.forEach'>> = async (step, ctx) => {
  const items = await itemsOf(step, ctx);
  ctx.log('info', `${items.length} item${items.length === 1 ? '' : 's'}`);
  for (const [index, item] of items.entries()) {
    ctx.vars[step.as] = item;
    if (step.indexAs) ctx.vars[step.indexAs] = index;
    await ctx.runSteps(step.steps, `[${index + 1}]`);
  }
};

export const tryStep: StepHandler<StepOf<'flow.try'>> = async (step, ctx) => {
  try {
    await ctx.runSteps(step.steps, 'try');
  } catch (error) {
    // Cancellation is the user's decision, never something to recover from; keys that went
    // astray or partly out are for a person to check, not for the catch steps to go on past.
    if (error instanceof CancelledError || error instanceof InputDeliveredError || !step.catch) throw error;
    const caught = serializeError(error);
    ctx.vars[step.errorAs ?? 'error'] = { name: caught.name, message: caught.message };
    ctx.log('warn', `caught ${caught.name}: ${caught.message.split('\n')[0]}`);
    await ctx.runSteps(step.catch, 'catch');
  } finally {
    if (step.finally && !ctx.signal.aborted) await ctx.runSteps(step.finally, 'finally');
  }
};

export const call: StepHandler<StepOf<'flow.call'>> = async (step, ctx) => {
  const child = ctx.automation.called.get(path.resolve(ctx.automation.dir, step.automation));
  if (!child) throw new RpaError(`called automation ${step.automation} was not loaded`);
  const inputs = ctx.render(step.inputs ?? {}) as Record<string, unknown>;
  const outputs = await ctx.callAutomation(child, inputs);
  if (step.into) ctx.vars[step.into] = outputs;
};

export const fail: StepHandler<StepOf<'flow.fail'>> = (step, ctx) =>
  Promise.reject(step.retryable ? new ApplicationError(ctx.renderText(step.message)) : new BusinessError(ctx.renderText(step.message)));

export const log: StepHandler<StepOf<'log'>> = (step, ctx) => {
  ctx.log(step.level ?? 'info', ctx.renderText(step.message));
  return Promise.resolve();
};
