// Request and response plumbing for the demo system: size-limited body reading,
// urlencoded and multipart form parsing (busboy), cookies, redirects.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';

/** Bodies larger than this are rejected with 413. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Past this much, an oversized body is no longer drained; the connection is dropped. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Read the whole request body, at most `limit` bytes. An oversized body is
 * drained (so the client gets to read the answer) and then fails with 413.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let total = 0;
    let tooLarge = declared > limit;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) tooLarge = true;
      if (total > MAX_DRAIN_BYTES) {
        req.destroy();
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new HttpError(413, `The request body is larger than ${limit} bytes.`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new HttpError(400, 'The request was aborted.'));
    });
  });
}

/** Form fields by name (last value wins); a null-prototype object. */
export type Fields = Record<string, string>;

export interface UploadedFile {
  field: string;
  filename: string;
  bytes: number;
  sha256: string;
}

export interface ParsedForm {
  fields: Fields;
  files: UploadedFile[];
}

function emptyFields(): Fields {
  return Object.create(null) as Fields;
}

export function parseUrlEncoded(text: string): Fields {
  const fields = emptyFields();
  for (const [name, value] of new URLSearchParams(text)) fields[name] = value;
  return fields;
}

function parseMultipart(headers: IncomingHttpHeaders, body: Buffer): Promise<ParsedForm> {
  return new Promise((resolve, reject) => {
    const fields = emptyFields();
    const files: UploadedFile[] = [];
    const pending: Promise<void>[] = [];
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers, limits: { fileSize: MAX_BODY_BYTES, files: 5, fields: 100 } });
    } catch (err) {
      reject(new HttpError(400, `Bad multipart request: ${(err as Error).message}`));
      return;
    }
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      const hash = createHash('sha256');
      let bytes = 0;
      pending.push(
        new Promise<void>((done) => {
          stream.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            hash.update(chunk);
          });
          stream.on('end', () => {
            files.push({ field: name, filename: info.filename ?? '', bytes, sha256: hash.digest('hex') });
            done();
          });
        }),
      );
    });
    bb.on('error', (err) => reject(new HttpError(400, `Bad multipart request: ${(err as Error).message}`)));
    bb.on('close', () => {
      void Promise.all(pending).then(() => resolve({ fields, files }));
    });
    bb.end(body);
  });
}

/** Read and parse a form post: multipart/form-data or application/x-www-form-urlencoded. */
export async function readForm(req: IncomingMessage): Promise<ParsedForm> {
  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return parseMultipart(req.headers, body);
  return { fields: parseUrlEncoded(body.toString('utf8')), files: [] };
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

const COMMON_HEADERS = {
  'Cache-Control': 'no-cache, no-store, must-revalidate',
  Pragma: 'no-cache',
  'X-Powered-By': 'ClaimsIntake/3.2',
};

/** Per-response rewrite of every HTML page sent (the markup mutations of mutations.ts). */
const htmlRewrites = new WeakMap<ServerResponse, (html: string) => string>();

export function rewriteHtml(res: ServerResponse, rewrite: (html: string) => string): void {
  htmlRewrites.set(res, rewrite);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): void {
  const body = Buffer.from(htmlRewrites.get(res)?.(html) ?? html, 'utf8');
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(body.length),
    ...headers,
  });
  res.end(body);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { ...COMMON_HEADERS, Location: location, 'Content-Length': '0', ...headers });
  res.end();
}
