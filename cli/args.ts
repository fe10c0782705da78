import { UsageError } from '../engine/errors.js';
import { closest, flagsIn } from './usage.js';

/** Runs node:util parseArgs, turning its errors into usage errors (exit 2); a mistyped flag gets "did you mean". */
export function parseOrUsage<R>(parse: () => R, usage: string): R {
  try {
    return parse();
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec(message);
    if (unknown) {
      const flag = unknown[1]!;
      // --help is taken by every command without being in its usage line: a typo of it is guessed too.
      const guess = closest(flag.replace(/^-+/, ''), [...flagsIn(usage).map((f) => f.slice(2)), 'help']);
      throw new UsageError(`unknown option ${flag}${guess ? ` — did you mean --${guess}?` : ''}\nusage: ${usage}`);
    }
    throw new UsageError(`${message}\nusage: ${usage}`);
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
