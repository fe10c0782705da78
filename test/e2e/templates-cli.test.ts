// rpa templates: the layout templates learned from corrections can be listed, read (any stored
// version), exported, carried to another machine (import, checked) and removed — while the
// removed template's versions stay readable for the audit trail. The first command through the
// real executable, the rest in one CLI worker process (test/helpers/cli-worker.ts).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cliEnv, cliWorker, runCli, tempDir } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());

const template = (version: number) => ({
  id: 'tpl-acme-invoice',
  version,
  schemaKey: 'abcdef0123456789',
  fingerprint: ['invoice', 'acme', 'total'],
  fields: { total: { relation: 'inline', anchor: ['total', 'due'], page: 1, anchorAt: { x: 0.7, y: 0.6 }, offset: { dx: 0.1, dy: 0 } } },
  learnedFrom: [{ documentSha256: 'f'.repeat(64), reviewId: 'R1', version }],
  createdAt: '2026-12-05T10:00:00.000Z',
  updatedAt: `2026-12-05T1${version}:00:00.000Z`,
});

describe('rpa templates', { timeout: 60_000 }, () => {
  it('imports, lists, shows every version, exports and removes; refuses a file that is no template', async () => {
    const dir = tempDir('templates-cli');
    const env = cliEnv(path.join(dir, 'home'));
    assert.match((await runCli(['templates'], env)).stdout, /no layout templates yet/);
    for (const version of [1, 2]) {
      const file = path.join(dir, `v${version}.json`);
      writeFileSync(file, JSON.stringify(template(version)));
      const imported = await worker.run(['templates', 'import', file], env);
      assert.equal(imported.code, 0, imported.stderr);
    }
    const listed = await worker.run(['templates', '--json'], env);
    assert.deepEqual(listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; version: number }).map((t) => [t.id, t.version]), [['tpl-acme-invoice', 2]]);
    const first = await worker.run(['templates', 'show', 'tpl-acme-invoice', '--version', '1'], env);
    assert.equal((JSON.parse(first.stdout) as { version: number }).version, 1);
    const out = path.join(dir, 'exported.json');
    assert.equal((await worker.run(['templates', 'export', 'tpl-acme-invoice', '--out', out], env)).code, 0);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), template(2));

    const removed = await worker.run(['templates', 'remove', 'tpl-acme-invoice'], env);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match((await worker.run(['templates'], env)).stdout, /no layout templates yet/);
    assert.equal((await worker.run(['templates', 'show', 'tpl-acme-invoice'], env)).code, 1, 'the current version is gone');
    assert.equal((await worker.run(['templates', 'show', 'tpl-acme-invoice', '--version', '2'], env)).code, 0, 'its stored versions stay');
    assert.equal((await worker.run(['templates', 'remove', 'tpl-acme-invoice'], env)).code, 1);

    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...template(3), id: 'not a template id', fields: { total: { relation: 'sideways' } } }));
    const refused = await worker.run(['templates', 'import', bad], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not a layout template: .*id/);
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
    assert.equal((await worker.run(['templates', 'show', 'nope', '--version', 'x'], env)).code, 2);
  });
});
