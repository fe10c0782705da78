// A small web server for the challenge suite: each challenge page reproduces one difficulty
// real web applications pose to record and replay (test/challenges/pages.ts). Pages report
// what the person (or the replay) achieved by POSTing JSON to /result; the suite compares
// that end state, so a replay that "passes" without doing the work is caught (a silent pass).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PAGES } from './pages.js';

export interface ChallengeServer {
  url: string;
  /** Results posted by the pages, oldest first. */
  results: Array<{ page: string; data: Record<string, unknown> }>;
  reset(): void;
  close(): Promise<void>;
}

export async function startChallengeServer(): Promise<ChallengeServer> {
  const results: ChallengeServer['results'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://challenges.invalid');
    if (req.method === 'POST' && url.pathname === '/result') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        try {
          const parsed = JSON.parse(body) as { page: string; data: Record<string, unknown> };
          results.push({ page: String(parsed.page), data: parsed.data });
          res.writeHead(204).end();
        } catch {
          res.writeHead(400).end('bad json');
        }
      });
      return;
    }
    const name = url.pathname.replace(/^\//, '').replace(/\.html$/, '');
    const page = PAGES[name];
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such challenge');
      return;
    }
    // Each load differs a little, as generated markup does (ids, class suffixes).
    const nonce = Math.random().toString(36).slice(2, 8);
    const html = page.replaceAll('$NONCE', nonce);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(`<!doctype html>
<html><head><meta charset="utf-8"><title>${name}</title>
<script>function report(data) { return fetch('/result', { method: 'POST', body: JSON.stringify({ page: ${JSON.stringify(name)}, data }) }); }</script>
</head><body>${html}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    results,
    reset: () => void results.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
