import { UsageError } from '../engine/errors.js';

/** Runs node:util parseArgs, turning its errors into usage errors (exit 2). */
export function parseOrUsage<R>(parse: () => R, usage: string): R {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`);
  }
}

/** `--input name=value` pairs → inputs (values stay strings; the automation's declarations type them). */
export function parseInputs(pairs: string[], usage: string): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input ${pair}: expected name=value\nusage: ${usage}`);
    inputs[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return inputs;
}
