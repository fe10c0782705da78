// The device's receipt store on real SQLite: a receipt is kept only when the pinned server key
// signed it for this device and exactly its own records; anything else becomes an incident, as
// does a server whose acknowledgement falls behind its receipts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateDeviceKeys, GENESIS_HASH, recordsDigest, sealLogEntry, sealRecord, type AuditRecord, type Receipt } from '../../audit/index.js';
import { openDatabase } from '../store/database.js';
import { ReceiptError, ReceiptStore } from './receipts.js';

const SERVER = 'https://audit.example';

function setup() {
  const db = openDatabase(':memory:');
  const records: AuditRecord[] = [];
  for (let i = 0; i < 6; i++) {
    const record = sealRecord({ id: `r${i}`, deviceId: 'dev1', ts: '2026-12-05T00:00:00.000Z', type: 'log', automation: null, runId: 'run1', user: 'u', payload: { i } }, records.at(-1));
    records.push(record);
    db.prepare('INSERT INTO audit_outbox (seq, hash, record_json) VALUES (?, ?, ?)').run(record.seq, record.hash, JSON.stringify(record));
  }
  const server = generateDeviceKeys();
  const store = new ReceiptStore(db);
  let n = 0;
  const receipt = (first: number, last: number, options: { key?: string; deviceId?: string; hashes?: string[] } = {}): Receipt =>
    sealLogEntry(
      {
        v: 1,
        n: ++n,
        prevHash: GENESIS_HASH,
        at: '2026-12-05T00:00:01.000Z',
        kind: 'batch',
        deviceId: options.deviceId ?? 'dev1',
        firstSeq: first,
        lastSeq: last,
        placedFromSeq: first,
        lastHash: records[last - 1]!.hash,
        recordsDigest: recordsDigest(options.hashes ?? records.slice(first - 1, last).map((r) => r.hash)),
      },
      options.key ?? server.privateKeyPem,
    );
  return { db, records, server, store, receipt };
}

describe('ReceiptStore', () => {
  it('keeps a receipt signed by the pinned key for exactly this device\'s records', () => {
    const { records, server, store, receipt } = setup();
    store.pin(SERVER, server.publicKeyPem);
    store.accept(receipt(1, 3), 'dev1', records.slice(0, 3));
    store.accept(receipt(4, 6), 'dev1');
    assert.equal(store.lastReceiptedSeq(), 6);
    assert.equal(store.all().length, 2);
    assert.deepEqual(store.incidents(), []);
  });

  it('refuses, and records as incidents, receipts that do not hold', () => {
    const { records, server, store, receipt } = setup();
    store.pin(SERVER, server.publicKeyPem);
    const other = generateDeviceKeys();
    const cases: Array<[Receipt | object, RegExp, AuditRecord[]?]> = [
      [receipt(1, 3, { key: other.privateKeyPem }), /not signed by the pinned server key/],
      [receipt(1, 3, { deviceId: 'dev2' }), /names device dev2/],
      [receipt(1, 3, { hashes: records.slice(0, 3).map((r, i) => (i === 1 ? 'f'.repeat(64) : r.hash)) }), /does not match this device's records/],
      [receipt(1, 3), /covers records 1-3, but the batch held 1-2/, records.slice(0, 2)],
      [{ kind: 'batch' }, /is not a receipt/],
    ];
    for (const [raw, message, batch] of cases) assert.throws(() => store.accept(raw, 'dev1', batch), (error: unknown) => error instanceof ReceiptError && message.test(error.message));
    assert.equal(store.all().length, 0);
    assert.equal(store.incidents().length, cases.length);
  });

  it('records once that the server lost records it had receipted', () => {
    const { server, store, receipt } = setup();
    store.pin(SERVER, server.publicKeyPem);
    store.accept(receipt(1, 6), 'dev1');
    assert.equal(store.noteServerAck(6), undefined);
    assert.match(store.noteServerAck(3)?.message ?? '', /lost records 4-6 it had acknowledged \(receipt 1/);
    store.noteServerAck(3);
    assert.equal(store.incidents().length, 1);
    assert.equal(store.incidents()[0]!.seq, 4);
  });

  it('refuses another key for the same server; another server starts its receipts anew', () => {
    const { server, store, receipt } = setup();
    store.pin(SERVER, server.publicKeyPem);
    store.accept(receipt(1, 3), 'dev1');
    assert.throws(() => store.pin(SERVER, generateDeviceKeys().publicKeyPem), /now presents another signing key/);
    assert.equal(store.pinned()?.publicKey, server.publicKeyPem);
    store.pin('https://other.example', generateDeviceKeys().publicKeyPem);
    assert.equal(store.all().length, 0);
    assert.equal(store.noteServerAck(0), undefined, 'no false "lost records" against the new server');
  });
});
