import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, GENESIS_HASH, generateDeviceKeys, hashRecord, sealRecord, signBatch, verifyBatchSignature, verifyChain, type AuditRecord } from './index.js';
import { canonicalRecord, hashCanonical } from './record.js';
import { checkLogEntry, publicKeySha256, recordsDigest, sealLogEntry, type LogEntryBody } from './receipt.js';

function chain(n: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < n; i++) {
    records.push(
      sealRecord(
        { id: `R${i}`, deviceId: 'dev1', ts: `2026-11-22T00:00:0${i}.000Z`, type: 'log', automation: { id: 'a', version: '1.0.0', sha256: 'x' }, runId: 'run1', user: 'clerk', payload: { message: `m${i}`, n: i } },
        records.at(-1),
      ),
    );
  }
  return records;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined, keeps array order and writes no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, 'é': 'x' }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"é":"x"}');
    assert.equal(canonicalJson([undefined, null, true, 'a"b']), '[null,null,true,"a\\"b"]');
    assert.equal(canonicalJson(1e21), '1e+21');
  });
  it('refuses values JSON cannot carry faithfully', () => {
    assert.throws(() => canonicalJson(Number.NaN), /cannot hold NaN/);
    assert.throws(() => canonicalJson({ f: () => 1 }), /cannot hold a function/);
  });
  it('writes the same bytes for values whose keys are already sorted as for any other order', () => {
    // Already in order (the fast path) next to the same values shuffled (the walk): same text,
    // including where JSON.stringify alone would differ (undefined, integer-like keys, holes, a Date).
    const holey: unknown[] = [1];
    holey[2] = 3;
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, b: [true, null] });
    const cases: Array<[unknown, string]> = [
      [{ a: 1, b: { c: 'x', d: [1, { e: null }] } }, '{"a":1,"b":{"c":"x","d":[1,{"e":null}]}}'],
      [{ a: 1, b: undefined }, '{"a":1}'],
      [{ a: [undefined, 2] }, '{"a":[null,2]}'],
      [{ 10: 'ten', 9: 'nine' }, '{"10":"ten","9":"nine"}'],
      [{ a: holey }, '{"a":[1,null,3]}'],
      [{ a: new Date(0) }, '{"a":{}}'],
      [{ a: -0, b: 1e21, c: 'é\u0000' }, '{"a":0,"b":1e+21,"c":"é\\u0000"}'],
      [nullProto, '{"a":1,"b":[true,null]}'],
      [{ Z: 1, a: 2, é: 3 }, '{"Z":1,"a":2,"é":3}'],
    ];
    for (const [value, text] of cases) assert.equal(canonicalJson(value), text);
    assert.throws(() => canonicalJson({ a: 1, b: Number.POSITIVE_INFINITY }), /cannot hold Infinity/);
    assert.throws(() => canonicalJson({ a: 1n }), /cannot hold a bigint/);
  });
});

describe('sealRecord', () => {
  it('keeps the payload with its keys in canonical order at every depth, values unchanged', () => {
    const payload = { type: 'step.succeeded', runId: 'r1', target: { selector: '#a', timeoutMs: 5 }, durationMs: 3.5, value: undefined, list: [{ z: 1, y: 2 }] };
    const record = sealRecord({ id: 'R1', deviceId: 'dev1', ts: '2026-11-22T00:00:00.000Z', type: 'step.succeeded', automation: null, runId: 'r1', user: 'u', payload }, undefined);
    assert.deepEqual(record.payload, payload);
    const sent = JSON.parse(JSON.stringify(record)) as AuditRecord;
    assert.equal(JSON.stringify(sent.payload), canonicalJson(payload));
    assert.equal(hashRecord(sent), record.hash);
  });
});

describe('hash chain', () => {
  it('links each record to the previous one and starts from the genesis hash', () => {
    const records = chain(3);
    assert.equal(records[0]!.prevHash, GENESIS_HASH);
    assert.deepEqual(records.map((r) => r.seq), [1, 2, 3]);
    assert.equal(records[1]!.prevHash, records[0]!.hash);
    assert.deepEqual(verifyChain(records), { ok: true, checked: 3 });
    assert.deepEqual(verifyChain(records.slice(1), { seq: 1, hash: records[0]!.hash }), { ok: true, checked: 2 });
  });

  it('finds an edited payload, a deleted record and swapped records, naming the first broken seq', () => {
    const edited = chain(5);
    edited[2] = { ...edited[2]!, payload: { message: 'approved by nobody', n: 2 } };
    const editedVerdict = verifyChain(edited);
    assert.equal(editedVerdict.ok, false);
    assert.deepEqual(!editedVerdict.ok && editedVerdict.firstBroken, { seq: 3, reason: 'record 3 was altered after it was written (its hash no longer matches its content)' });

    const deleted = chain(5);
    deleted.splice(3, 1);
    const deletedVerdict = verifyChain(deleted);
    assert.deepEqual(!deletedVerdict.ok && deletedVerdict.firstBroken.seq, 4);
    assert.match(!deletedVerdict.ok ? deletedVerdict.firstBroken.reason : '', /record 4 is missing/);

    const swapped = chain(5);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    const swappedVerdict = verifyChain(swapped);
    assert.deepEqual(!swappedVerdict.ok && swappedVerdict.firstBroken.seq, 2);

    // Re-hashing an edited record does not help: the next link breaks instead.
    const rehashed = chain(4);
    const forged = sealRecord({ ...rehashed[1]!, payload: { message: 'forged' } }, rehashed[0]);
    rehashed[1] = forged;
    const forgedVerdict = verifyChain(rehashed);
    assert.deepEqual(!forgedVerdict.ok && forgedVerdict.firstBroken.seq, 3);
  });
});

describe('batch signatures', () => {
  it('verify with the device key only, and not after any change to the batch', () => {
    const device = generateDeviceKeys();
    const other = generateDeviceKeys();
    const batch = signBatch('dev1', chain(3), device.privateKeyPem);
    assert.equal(verifyBatchSignature(batch, device.publicKeyPem), true);
    assert.equal(verifyBatchSignature(batch, other.publicKeyPem), false);
    assert.equal(verifyBatchSignature({ ...batch, deviceId: 'dev2' }, device.publicKeyPem), false);
    const changed = structuredClone(batch);
    changed.records[1]!.payload['message'] = 'x';
    assert.equal(verifyBatchSignature(changed, device.publicKeyPem), false);
    assert.equal(verifyBatchSignature({ ...batch, signature: 'not base64 at all' }, device.publicKeyPem), false);
    assert.equal(verifyBatchSignature(batch, 'not a key'), false);
  });
});

describe('canonicalRecord (the server\'s one-pass form)', () => {
  it('writes exactly canonicalJson of the record, of the record without hash and of the payload', () => {
    const odd = sealRecord(
      {
        id: 'id "quoted" \\ back',
        deviceId: 'dév\u2028\t',
        ts: '2026-11-22T00:00:00.000Z',
        type: 'step.succeeded',
        automation: null,
        runId: 'run\n1',
        user: '',
        payload: { z: 1, 10: 'ten', 9: 'nine', é: [undefined, { b: 2, a: 1 }], a: { y: null, x: -0.5e-7 }, __proto__x: true, Z: 'upper' },
      },
      { seq: 41, hash: 'f'.repeat(64) },
    );
    for (const record of [...chain(3), odd]) {
      const forms = canonicalRecord(record);
      const { hash: _hash, ...unsealed } = record;
      assert.equal(forms.sealed, canonicalJson(record));
      assert.equal(forms.unsealed, canonicalJson(unsealed));
      assert.equal(forms.payload, canonicalJson(record.payload));
      assert.equal(hashCanonical(forms.unsealed), hashRecord(record));
      assert.equal(hashCanonical(forms.unsealed), record.hash);
    }
  });

  it('signs and verifies the same bytes whether or not the sealed forms are passed in', () => {
    const device = generateDeviceKeys();
    const records = chain(4);
    const batch = signBatch('dev1', records, device.privateKeyPem);
    const sealed = records.map((record) => canonicalRecord(record).sealed);
    assert.equal(verifyBatchSignature(batch, device.publicKeyPem, sealed), true);
    assert.equal(verifyBatchSignature(batch, device.publicKeyPem, [...sealed.slice(0, 3), canonicalRecord({ ...records[3]!, user: 'mallory' }).sealed]), false);
  });
});

describe('server log entries (receipts)', () => {
  it('verify with the server key only, and not after any change', () => {
    const server = generateDeviceKeys();
    const other = generateDeviceKeys();
    const records = chain(3);
    const body: LogEntryBody = { v: 1, n: 7, prevHash: GENESIS_HASH, at: '2026-12-05T00:00:00.000Z', kind: 'batch', deviceId: 'dev1', firstSeq: 1, lastSeq: 3, placedFromSeq: 1, lastHash: records[2]!.hash, recordsDigest: recordsDigest(records.map((r) => r.hash)) };
    const entry = sealLogEntry(body, server.privateKeyPem);
    assert.equal(checkLogEntry(entry, server.publicKeyPem), true);
    assert.equal(checkLogEntry(entry, other.publicKeyPem), false);
    assert.equal(checkLogEntry({ ...entry, lastSeq: 2 }, server.publicKeyPem), false);
    assert.equal(checkLogEntry({ ...entry, hash: 'f'.repeat(64) }, server.publicKeyPem), false);
    assert.equal(checkLogEntry({ ...entry, signature: 'x' }, server.publicKeyPem), false);
    assert.equal(recordsDigest(records.map((r) => r.hash)), recordsDigest(records.map((r) => r.hash).join('')));
    assert.notEqual(recordsDigest(records.slice(0, 2).map((r) => r.hash)), body.recordsDigest);
  });
  it('names a public key by its DER, whatever its PEM spelling', () => {
    const keys = generateDeviceKeys();
    assert.match(publicKeySha256(keys.publicKeyPem), /^[0-9a-f]{64}$/);
    assert.equal(publicKeySha256(keys.publicKeyPem.replace(/\n/g, '\r\n')), publicKeySha256(keys.publicKeyPem));
  });
});
