// Errors with an HTTP status and a JSON body, and zod validation that turns into a 400
// with a readable message.
import { z } from 'zod';
import { hasUnstorableChar, UNSTORABLE_HINT } from '../audit/index.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error: string; message: string } & Record<string, unknown>,
  ) {
    super(body.message);
  }
}

export const badRequest = (error: string, message: string, extra: Record<string, unknown> = {}) => new HttpError(400, { error, message, ...extra });
export const unauthorized = (message = 'missing or unknown bearer token') => new HttpError(401, { error: 'unauthorized', message });
export const forbidden = (message: string) => new HttpError(403, { error: 'forbidden', message });
export const notFound = (message: string) => new HttpError(404, { error: 'not_found', message });

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}

/** Parses with schema or throws a 400 naming what was wrong and where. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string, error = 'invalid_request'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(error, `invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}

/**
 * Text from a path, query string or body that reaches PostgreSQL: it refuses NUL (which text
 * cannot hold: the query failed with a 500) and lone surrogates (which UTF-8 cannot carry).
 */
export const storableText = (min = 1, max = 256) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !hasUnstorableChar(value), UNSTORABLE_HINT);
