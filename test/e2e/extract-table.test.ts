// browser.extract what: "table" in real Chromium: a record laid out as label/value rows (a
// header cell first in each row) becomes one record keyed by its labels — not an object keyed
// by the record's own data ("CLM-2004-000002": "POL-10002"); an ordinary table with a header
// row still becomes a list of rows keyed by the headers.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import { tempDir, writeAutomation } from '../helpers/env.js';

const PAGE = `<!doctype html><title>Claim</title>
<table id="record"><tr><th>Claim number:</th><td>CLM-2004-000002</td></tr><tr><th>Policy</th><td>POL-10002</td></tr><tr><th>Status</th><td>Open</td></tr></table>
<table id="list"><tr><th>Claim</th><th>Amount</th></tr><tr><td>CLM-1</td><td>10.00</td></tr><tr><td>CLM-2</td><td>20.00</td></tr></table>`;

describe('reading tables from a page', { timeout: 120_000 }, () => {
  let server: http.Server;
  let dir: string;
  let engine: Engine;

  before(async () => {
    server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dir = tempDir('extract-table');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
  });
  after(async () => {
    engine?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keys a label/value table by its labels and a header table by its headers', { timeout: 90_000 }, async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const file = writeAutomation(dir, 'tables.json', {
      format: 1,
      id: 'test.tables',
      name: 'Tables',
      version: '1.0.0',
      outputs: ['record', 'list'],
      steps: [
        { kind: 'browser.open', url },
        { kind: 'browser.extract', target: { candidates: [{ css: '#record' }] }, what: 'table', into: 'record' },
        { kind: 'browser.extract', target: { candidates: [{ css: '#list' }] }, what: 'table', into: 'list' },
      ],
    });
    const result = await engine.run({ file });
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(result.outputs['record'], [{ 'Claim number': 'CLM-2004-000002', Policy: 'POL-10002', Status: 'Open' }]);
    assert.deepEqual(result.outputs['list'], [
      { Claim: 'CLM-1', Amount: '10.00' },
      { Claim: 'CLM-2', Amount: '20.00' },
    ]);
  });
});
