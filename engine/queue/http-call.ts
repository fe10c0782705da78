// One HTTP request and its whole answer as text, over node:http(s) with kept-alive connections.
// The fleet's robots call the queue server once per batch, item after item: with fetch (undici)
// each call built a Request, a web ReadableStream for the body, an AbortSignal and its timer and
// a Response — in bench/fleet's robot profile (2026-12-07) that took more of a no-op robot's CPU
// than its own work, JSON and checks together. A plain request on a pooled socket does the same
// round trip with a fraction of that.
import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  statusText: string;
  text: string;
}

// One pool per process: every RemoteWorkQueue of the process shares its open connections.
// keepAlive: the next call reuses the socket (no TCP handshake per batch). Node's agent lets an
// idle socket go before the server's Keep-Alive timeout runs out (the server's hint).
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/** The server closed a kept-alive socket just as it was reused: nothing reached the server. */
const stale = (error: NodeJS.ErrnoException, reused: boolean): boolean => reused && (error.code === 'ECONNRESET' || error.code === 'EPIPE');

/**
 * Sends method url with headers and body; resolves with the status and the answer's text once
 * it has all come, whatever the status. Rejects when the server cannot be reached, the
 * connection breaks, or the whole exchange takes longer than timeoutMs.
 */
export async function httpCall(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HttpAnswer> {
  try {
    return await once(url, method, headers, body, timeoutMs);
  } catch (error) {
    // A request sent on a socket the server had closed while it was idle is sent again, once,
    // on a fresh connection (Node's documented pattern: such a request never reached the server).
    if (error instanceof ReusedSocketError) return await once(url, method, headers, body, timeoutMs);
    throw error;
  }
}

class ReusedSocketError extends Error {}

function once(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HttpAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    let answered = false;
    const finish = (error: Error | undefined, answer?: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(answer!);
    };
    const request = transport.request(
      url,
      { method, agent, headers: payload === undefined ? headers : { ...headers, 'content-length': String(payload.length) } },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => finish(undefined, { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => finish(error));
        response.on('close', () => {
          if (!response.complete) finish(new Error('the connection closed before the whole answer came'));
        });
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no whole answer within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish(!answered && stale(error, request.reusedSocket) ? new ReusedSocketError(error.message) : error));
    request.end(payload);
  });
}
