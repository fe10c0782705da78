import { UsageError } from '../engine/errors.js';

/** Runs node:util parseArgs, turning its errors into usage errors (exit 2). */
export function parseOrUsage<R>(parse: () => R, usage: string): R {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`);
  }
}
