// The studio API as an attacker sees it: every spelling of an /api path that the router might
// decode (percent-encoding, double slashes, dot segments, case, backslashes) is refused without
// the session token, over HTTP and WebSocket; only the static UI answers without it; a page
// from another origin cannot change state or open the push channel even with the token.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { tempDir } from '../helpers/env.js';

interface Answer {
  status: number;
  body: string;
}

function request(port: number, method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers: all, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${url}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A WebSocket handshake on a raw path: 101 when upgraded, else the refusal's status. */
function wsHandshake(port: number, url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      agent: false,
      path: url,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`upgrade ${url}: no answer in 10 s`)));
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Spellings of `/api/<rest>` that a decoding or normalizing router might take for the real thing. */
function oddSpellings(rest: string): string[] {
  return [
    `/%61pi/${rest}`,
    `/%2561pi/${rest}`,
    `/%41PI/${rest}`,
    `//api/${rest}`,
    `///api/${rest}`,
    `/API/${rest}`,
    `/Api/${rest}`,
    `/./api/${rest}`,
    `/x/../api/${rest}`,
    `/api/./${rest}`,
    `/api/x/../${rest}`,
    `/%2e/api/${rest}`,
    `/api%2F${rest}`,
    `/%2Fapi/${rest}`,
    `/%2fapi%2f${rest}`,
    `/api\\${rest}`,
    `\\api\\${rest}`,
    `/\\api/${rest}`,
    `/api./${rest}`,
    `/api/${rest}.`,
    `/api/${rest}/`,
    `/api/${rest}%20`,
    `/api/${rest}%00`,
    `/api;/${rest}`,
    `/api/${rest};x`,
    `/api/%${rest.charCodeAt(0).toString(16)}${rest.slice(1)}`,
    `/api/${rest}?token=wrong`,
  ];
}

describe('studio API authentication on odd paths', { timeout: 120_000 }, () => {
  let studio: RunningStudio;
  let port: number;
  let token: string;
  let origin: string;

  before(async () => {
    studio = await serveStudio({ workspace: tempDir('studio-auth-ws'), env: { ...process.env, RPA_HOME: tempDir('studio-auth-home') } });
    port = studio.server.port;
    token = studio.server.token;
    origin = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    await studio?.close();
  });

  it('serves the UI without a token but the API only with it', async () => {
    const ui = await request(port, 'GET', '/');
    assert.equal(ui.status, 200);
    assert.match(ui.body, /<html/i);
    assert.equal((await request(port, 'GET', '/api/settings')).status, 401);
    assert.equal((await request(port, 'GET', '/api/settings', { authorization: `Bearer ${token}` })).status, 200);
  });

  it('answers no odd spelling of a read route with data', async () => {
    for (const rest of ['settings', 'secrets', 'automations', 'runs', 'session']) {
      for (const url of oddSpellings(rest)) {
        const answer = await request(port, 'GET', url);
        assert.ok(answer.status === 401 || answer.status === 404 || answer.status === 400, `GET ${url} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
        assert.doesNotMatch(answer.body, /"automations"|"providers"|"secrets"|"runs"\s*:/, `GET ${url} leaked data`);
      }
    }
  });

  it('lets no odd spelling plant a secret, write an automation or start a run', async () => {
    for (const url of oddSpellings('secrets/planted')) {
      const answer = await request(port, 'PUT', url, {}, JSON.stringify({ value: 'attacker' }));
      assert.ok(answer.status >= 400 && answer.status < 500, `PUT ${url} answered ${answer.status}`);
    }
    for (const url of oddSpellings('automations')) {
      const answer = await request(port, 'POST', url, {}, JSON.stringify({ name: 'planted' }));
      assert.ok(answer.status >= 400 && answer.status < 500, `POST ${url} answered ${answer.status}`);
    }
    for (const url of oddSpellings('runs')) {
      const answer = await request(port, 'POST', url, {}, JSON.stringify({ id: 'workspace/planted.json' }));
      assert.ok(answer.status >= 400 && answer.status < 500, `POST ${url} answered ${answer.status}`);
    }
    const auth = { authorization: `Bearer ${token}` };
    const secrets = JSON.parse((await request(port, 'GET', '/api/secrets', auth)).body) as unknown;
    assert.doesNotMatch(JSON.stringify(secrets), /planted/, 'a secret was planted');
    const automations = JSON.parse((await request(port, 'GET', '/api/automations', auth)).body) as unknown;
    assert.doesNotMatch(JSON.stringify(automations), /planted/, 'an automation was written');
    const runs = JSON.parse((await request(port, 'GET', '/api/runs', auth)).body) as unknown[];
    assert.equal(runs.length, 0, 'a run was started');
  });

  it('opens the push channel on no odd spelling without the token', async () => {
    assert.equal(await wsHandshake(port, `/api/ws?token=${token}`), 101, 'the real path with the token upgrades');
    for (const url of [...oddSpellings('ws'), '/api/ws', '/api/ws?token=', `/api/ws?token=${token}x`, `/api/ws?toke%6E=${token}x`]) {
      const status = await wsHandshake(port, url);
      assert.notEqual(status, 101, `upgrade of ${url} was accepted`);
      assert.ok(status === 401 || status === 404 || status === 400, `upgrade of ${url} answered ${status}`);
    }
  });

  it('refuses state changes and the push channel from another origin, even with the token', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const foreign = await request(port, 'PUT', '/api/secrets/fromevil', { ...auth, origin: 'http://evil.example' }, JSON.stringify({ value: 'not-a-real-secret' }));
    assert.equal(foreign.status, 403, foreign.body);
    const nullOrigin = await request(port, 'PUT', '/api/secrets/fromnull', { ...auth, origin: 'null' }, JSON.stringify({ value: 'not-a-real-secret' }));
    assert.equal(nullOrigin.status, 403, nullOrigin.body);
    const otherPort = await request(port, 'POST', '/api/automations', { ...auth, origin: `http://127.0.0.1:${port + 1}` }, JSON.stringify({ name: 'x' }));
    assert.equal(otherPort.status, 403, otherPort.body);
    assert.equal(await wsHandshake(port, `/api/ws?token=${token}`, { origin: 'http://evil.example' }), 403);
    assert.equal(await wsHandshake(port, `/api/ws?token=${token}`, { origin }), 101, 'the studio page itself may open it');
    const own = await request(port, 'PUT', '/api/secrets/fromstudio', { ...auth, origin }, JSON.stringify({ value: 'not-a-real-secret' }));
    assert.equal(own.status, 200, own.body);
    const listed = (await request(port, 'GET', '/api/secrets', auth)).body;
    assert.match(listed, /fromstudio/);
    assert.doesNotMatch(listed, /fromevil|fromnull/);
  });

  it('answers a short or unknown run id of an artifact with a client error, not 500', async () => {
    const auth = { authorization: `Bearer ${token}` };
    for (const id of ['a', 'ab', 'abc', 'abcd', '%00', 'zzzzzzzzzzzz']) {
      const answer = await request(port, 'GET', `/api/runs/${id}/artifacts/x.png`, auth);
      assert.ok(answer.status === 400 || answer.status === 404, `artifact of run ${id} answered ${answer.status}: ${answer.body}`);
    }
    const run = await request(port, 'GET', '/api/runs/ab', auth);
    assert.ok(run.status === 400 || run.status === 404, `run ab answered ${run.status}`);
  });
});
