// queue.add: puts an item on a durable work queue for another bot (or a later run).
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';

export const queueAdd: StepHandler<StepOf<'queue.add'>> = async (step, ctx) => {
  const data = ctx.render(step.data);
  const idempotencyKey = step.idempotencyKey === undefined ? undefined : ctx.renderText(step.idempotencyKey);
  const added = await ctx.workQueue(step.server).add(step.queue, data, {
    ...(idempotencyKey ? { idempotencyKey } : {}),
    ...(step.maxRetries !== undefined ? { maxRetries: step.maxRetries } : {}),
  });
  const where = step.server === undefined ? '' : ` on ${step.server}`;
  ctx.log('info', added.duplicate ? `item with key "${idempotencyKey}" is already in queue ${step.queue}${where} (item ${added.id}, ${added.state}); not added again` : `added item ${added.id} to queue ${step.queue}${where}`);
  if (step.into) ctx.vars[step.into] = { id: added.id, duplicate: added.duplicate };
};
