// A local HTTP server speaking the OpenAI chat-completions API for tests. It CHECKS every
// request (path, API key, model, structured-output schema, image parts, text that must not
// be there) and answers from a queue of canned responses: good answers with usage, 429 with
// retry-after, 500, a hang, malformed JSON, schema-violating JSON, 401 echoing the key.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Canned =
  | { kind: 'answer'; content: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { kind: 'status'; status: number; retryAfter?: number; echoKey?: boolean }
  | { kind: 'hang' };

export interface Expectations {
  apiKey?: string;
  model?: string;
  /** Field names the json_schema must declare (structured output requests). */
  fields?: string[];
  /** Strings that must not appear anywhere in a request body (PII from the test document). */
  forbidden?: string[];
}

export interface ReceivedRequest {
  raw: string;
  body: Record<string, unknown>;
  sha256: string;
  authorization: string | undefined;
  problems: string[];
}

export const answer = (content: unknown, usage = { prompt_tokens: 1200, completion_tokens: 80 }): Canned => ({ kind: 'answer', content: typeof content === 'string' ? content : JSON.stringify(content), usage });

/** A structured extraction answer: every field with value, confidence and a source. */
export const extraction = (fields: Record<string, { value: unknown; confidence: number }>): Canned =>
  answer(Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, { value: f.value, confidence: f.confidence, source: { page: 1, text: String(f.value) } }])));

export class OpenAiTestServer {
  readonly requests: ReceivedRequest[] = [];
  private readonly queue: Canned[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly hanging: http.ServerResponse[] = [];

  private constructor(
    private readonly server: http.Server,
    public expectations: Expectations,
  ) {}

  static async start(expectations: Expectations = {}): Promise<OpenAiTestServer> {
    const server = http.createServer();
    const fake = new OpenAiTestServer(server, expectations);
    server.on('request', (req, res) => fake.handle(req, res));
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL to configure as a provider's baseUrl. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  enqueue(...answers: Canned[]): this {
    this.queue.push(...answers);
    return this;
  }

  /** Every check that failed, over all requests. */
  get problems(): string[] {
    return this.requests.flatMap((r) => r.problems);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private check(req: http.IncomingMessage, raw: string, body: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const e = this.expectations;
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') problems.push(`unexpected ${req.method} ${req.url}`);
    if (e.apiKey !== undefined && req.headers.authorization !== `Bearer ${e.apiKey}`) problems.push('Authorization header is not the configured API key');
    if (e.model !== undefined && body['model'] !== e.model) problems.push(`model ${String(body['model'])}, expected ${e.model}`);
    if (e.fields) {
      const format = body['response_format'] as { type?: string; json_schema?: { strict?: boolean; schema?: { properties?: Record<string, unknown> } } } | undefined;
      if (format?.type !== 'json_schema' || format.json_schema?.strict !== true) problems.push('no strict json_schema response_format');
      const declared = Object.keys(format?.json_schema?.schema?.properties ?? {}).sort();
      if (JSON.stringify(declared) !== JSON.stringify([...e.fields].sort())) problems.push(`schema declares ${declared.join(',')}, expected ${[...e.fields].sort().join(',')}`);
    }
    const messages = (body['messages'] ?? []) as Array<{ content: unknown }>;
    for (const message of messages) {
      if (!Array.isArray(message.content)) continue;
      for (const part of message.content as Array<{ type: string; image_url?: { url: string } }>) {
        if (part.type !== 'image_url') continue;
        const url = part.image_url?.url ?? '';
        const m = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=]+)$/.exec(url);
        if (!m || Buffer.from(m[2]!, 'base64').length === 0) problems.push(`image part is not a data URL: ${url.slice(0, 40)}`);
      }
    }
    for (const text of e.forbidden ?? []) if (raw.includes(text)) problems.push(`request contains "${text}"`);
    return problems;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        /* reported below */
      }
      const problems = this.check(req, raw, body);
      this.requests.push({ raw, body, sha256: createHash('sha256').update(raw).digest('hex'), authorization: req.headers.authorization, problems });
      if (problems.length) return this.send(res, 400, { error: { message: `test server: ${problems.join('; ')}` } });
      const next = this.queue.shift();
      if (!next) return this.send(res, 500, { error: { message: 'test server: no canned answer left' } });
      if (next.kind === 'hang') {
        this.hanging.push(res);
        return;
      }
      if (next.kind === 'status') {
        const headers: Record<string, string> = next.retryAfter !== undefined ? { 'retry-after': String(next.retryAfter) } : {};
        const message = next.echoKey ? `Incorrect API key provided: ${req.headers.authorization?.replace('Bearer ', '')}` : `canned ${next.status}`;
        return this.send(res, next.status, { error: { message } }, headers);
      }
      this.send(res, 200, {
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body['model'],
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: next.content, refusal: null } }],
        ...(next.usage ? { usage: { ...next.usage, total_tokens: next.usage.prompt_tokens + next.usage.completion_tokens } } : {}),
      });
    });
  }

  private send(res: http.ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(json));
  }
}
