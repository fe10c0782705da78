// A front end and an engine host of different versions refuse each other clearly (after an
// upgrade, the old host may still run from a login service): the CLI says which versions and
// what to do, and opens no store of its own beside the old host; a caller that names no
// version (an older one) is refused; a host that names none (an older one) is not used.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveHome } from '../../engine/home.js';
import { HostClient, HostVersionError, hostInfoFile, hostSocketPath, listenHost } from '../../engine/host/socket.js';
import type { StudioApi } from '../../engine/transport/studio-service.js';
import { APP_VERSION } from '../../engine/version.js';
import { cliEnv, runCli, tempDir } from '../helpers/env.js';

/** The studio API is not reached in these tests: the handshake refuses first. */
const unreachable: StudioApi = {
  call: () => Promise.reject(new Error('not reached')),
  onPush: () => () => undefined,
  artifactFile: () => {
    throw new Error('not reached');
  },
};

function rawHello(socketPath: string, hello: Record<string, unknown>): Promise<string> {
  return new Promise((resolve) => {
    const client = net.createConnection(socketPath, () => client.write(`${JSON.stringify(hello)}\n`));
    let text = '';
    client.on('data', (chunk) => (text += chunk.toString()));
    client.on('close', () => resolve(text));
  });
}

describe('engine host versions', () => {
  it('a host of another version is refused by the CLI and by attach, naming both versions; the CLI opens no store beside it', { timeout: 120_000 }, async () => {
    const dir = tempDir('host-version');
    const home = resolveHome({ RPA_HOME: dir });
    const listener = await listenHost(home, unreachable, () => undefined, { version: '0.0.0-old' });
    try {
      await assert.rejects(HostClient.attach(home), (error: unknown) => {
        assert.ok(error instanceof HostVersionError, String(error));
        assert.match(error.message, new RegExp(`is version 0\\.0\\.0-old and this program is version ${APP_VERSION.replace(/\./g, '\\.')}`));
        return true;
      });
      for (const args of [['runs'], ['queue', 'add', 'q', '--data', '{}'], ['schedule', 'list']]) {
        const result = await runCli(args, cliEnv(dir));
        assert.equal(result.code, 1, `rpa ${args.join(' ')}: ${result.stdout}${result.stderr}`);
        assert.match(result.stderr, /the engine host of this RPA_HOME \(pid \d+\) is version 0\.0\.0-old and this program is version .*Stop that host and start it again from this version/);
      }
      assert.equal(existsSync(path.join(dir, 'runs.db')), false, 'no store opened beside the other version\'s host');
      // A caller that names no version (one from before versions were compared) is refused too.
      const old = await rawHello(listener.socket, { hello: (JSON.parse(readFileSync(hostInfoFile(home), 'utf8')) as { token: string }).token });
      assert.match(old, /"refused":"the engine host of this RPA_HOME .* this program is version \(older, unnamed\)/);
      assert.doesNotMatch(old, /"ready"/);
    } finally {
      await listener.close();
    }
  });

  it('a host that names no version (an older one) is not attached to', { timeout: 60_000 }, async () => {
    const dir = tempDir('host-version-old');
    const home = resolveHome({ RPA_HOME: dir });
    const socketPath = hostSocketPath(home);
    // An older host: answers the token with ready, without a version.
    const server = net.createServer((socket) => socket.once('data', () => socket.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`)));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    writeFileSync(hostInfoFile(home), JSON.stringify({ pid: process.pid, socket: socketPath, token: 't', startedAt: new Date().toISOString() }), { mode: 0o600 });
    try {
      await assert.rejects(HostClient.attach(home), (error: unknown) => error instanceof HostVersionError && /is version \(older, unnamed\) and this program is version/.test(error.message));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
