import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { httpCall } from './http-call.js';

async function listen(server: Server): Promise<URL> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

test('httpCall: whole answers of any status, the body sent as given, one kept-alive connection for calls in a row', { timeout: 30_000 }, async () => {
  let connections = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.statusCode = request.url === '/missing' ? 404 : 200;
      response.setHeader('content-type', 'application/json');
      // A long answer arrives in several chunks: all of them make the text.
      response.end(JSON.stringify({ method: request.method, auth: request.headers.authorization, body, pad: 'é'.repeat(100_000) }));
    });
  });
  server.on('connection', () => connections++);
  const url = await listen(server);
  try {
    for (let i = 0; i < 5; i++) {
      const answer = await httpCall(new URL('/x', url), 'POST', { authorization: 'Bearer t', 'content-type': 'application/json' }, '{"a":"ü"}', 10_000);
      assert.equal(answer.status, 200);
      const parsed = JSON.parse(answer.text) as { method: string; auth: string; body: string; pad: string };
      assert.deepEqual([parsed.method, parsed.auth, parsed.body, parsed.pad.length], ['POST', 'Bearer t', '{"a":"ü"}', 100_000]);
    }
    const missing = await httpCall(new URL('/missing', url), 'GET', {}, undefined, 10_000);
    assert.equal(missing.status, 404);
    assert.equal(missing.statusText, 'Not Found');
    assert.equal(connections, 1, 'calls one after the other reuse one connection');
  } finally {
    await close(server);
  }
});

test('httpCall: a server that never answers, one that breaks off mid-answer, and one that is not there are errors, not hangs', { timeout: 30_000 }, async () => {
  const server = createServer((request, response) => {
    if (request.url === '/silent') return; // never answers
    response.writeHead(200, { 'content-length': '1000' });
    response.write('{"partial":');
    setTimeout(() => response.socket?.destroy(), 50);
  });
  const url = await listen(server);
  try {
    const started = performance.now();
    await assert.rejects(httpCall(new URL('/silent', url), 'GET', {}, undefined, 300), /within 300 ms/);
    assert.ok(performance.now() - started < 10_000);
    await assert.rejects(httpCall(new URL('/broken', url), 'GET', {}, undefined, 10_000));
  } finally {
    await close(server);
  }
  await assert.rejects(httpCall(url, 'GET', {}, undefined, 10_000), /ECONNREFUSED/);
});

test('httpCall: a kept-alive connection the server closed while idle is not an error for the next call', { timeout: 30_000 }, async () => {
  const server = createServer((request, response) => response.end('ok'));
  // The server drops idle connections quickly, as a proxy or a restarted server does.
  server.keepAliveTimeout = 50;
  const url = await listen(server);
  try {
    for (let i = 0; i < 4; i++) {
      assert.equal((await httpCall(url, 'GET', {}, undefined, 10_000)).text, 'ok');
      await new Promise((resolve) => setTimeout(resolve, 40 + i * 20));
    }
  } finally {
    await close(server);
  }
});
