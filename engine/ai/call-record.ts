// What is recorded of a request to a remote model: the SHA-256 of exactly the bytes sent,
// and a copy with page images replaced by their own SHA-256 (the text in it is already
// PII-masked, because the masked text is what was sent).
import { createHash } from 'node:crypto';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const DATA_URL = /^data:([\w/+.-]+);base64,(.*)$/s;

/** The request with every data URL replaced by `sha256:<hex of the decoded bytes>` and its type. */
export function redactImages(value: unknown): unknown {
  if (typeof value === 'string') {
    const match = DATA_URL.exec(value);
    return match ? `${match[1]} sha256:${sha256(Buffer.from(match[2]!, 'base64'))}` : value;
  }
  if (Array.isArray(value)) return value.map(redactImages);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactImages(v)]));
  return value;
}

export function costOf(prices: Record<string, { inputPer1M: number; outputPer1M: number }> | undefined, model: string, usage: { inputTokens: number; outputTokens: number } | undefined): number | undefined {
  const price = prices?.[model];
  if (!price || !usage) return undefined;
  // Rounded to a millionth of a dollar so sums stay readable.
  return Math.round(((usage.inputTokens * price.inputPer1M + usage.outputTokens * price.outputPer1M) / 1_000_000) * 1e6) / 1e6;
}
