// Upgrading a server that kept no log of its own (schema 3 and before): when its key is created,
// what the database holds at that moment is sealed into the log — each device's enrolled key, a
// receipt for each stored batch (the hashes of its stored records), each chain anchor. From then
// on any change to those is found by verify. Done once, only when the key file is new (main.ts):
// run on every start, it would bless whatever someone changed in the database in between.
import { GENESIS_HASH, publicKeySha256, recordsDigest } from '../audit/index.js';
import type { SqlClient } from './db.js';
import { toNumber } from './db.js';
import { appendLogEntry } from './server-log.js';
import type { ServerKey } from './server-key.js';

export interface SealedHistory {
  devices: number;
  receipts: number;
  anchors: number;
}

export async function sealExistingHistory(db: SqlClient, key: ServerKey): Promise<SealedHistory> {
  return db.transaction(async (tx) => {
    const sealed: SealedHistory = { devices: 0, receipts: 0, anchors: 0 };
    const devices = await tx.query<{ id: string; public_key: string }>('SELECT id, public_key FROM devices ORDER BY created_at, id FOR UPDATE');
    const logged = async (deviceId: string, kind: string) =>
      (await tx.query<{ first_seq: unknown; last_seq: unknown }>('SELECT first_seq, last_seq FROM server_log WHERE device_id = $1 AND kind = $2', [deviceId, kind])).rows.map((row) => ({
        first: row.first_seq === null ? 0 : toNumber(row.first_seq),
        last: row.last_seq === null ? 0 : toNumber(row.last_seq),
      }));
    for (const device of devices.rows) {
      if ((await logged(device.id, 'enroll')).length === 0) {
        await appendLogEntry(tx, key, { kind: 'enroll', deviceId: device.id, publicKeySha256: publicKeySha256(device.public_key) });
        sealed.devices++;
      }
      const anchor = (await tx.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM chain_anchors WHERE device_id = $1', [device.id])).rows[0];
      if (anchor && (await logged(device.id, 'anchor')).length === 0) {
        await appendLogEntry(tx, key, { kind: 'anchor', deviceId: device.id, fromSeq: 1, anchorSeq: toNumber(anchor.seq), anchorHash: anchor.hash, retentionId: 0 });
        sealed.anchors++;
      }
      const receipted = await logged(device.id, 'batch');
      const batches = await tx.query<{ first_seq: unknown; last_seq: unknown }>('SELECT first_seq, last_seq FROM audit_batches WHERE device_id = $1 ORDER BY first_seq, last_seq', [device.id]);
      for (const batch of batches.rows) {
        const first = toNumber(batch.first_seq);
        const last = toNumber(batch.last_seq);
        if (receipted.some((r) => r.first === first && r.last === last)) continue;
        const rows = await tx.query<{ hash: string }>('SELECT hash FROM audit_records WHERE device_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq', [device.id, first, last]);
        if (rows.rows.length !== last - first + 1) continue; // records gone (retention, or worse): nothing to vouch for
        const hashes = rows.rows.map((row) => row.hash).join('');
        await appendLogEntry(tx, key, { kind: 'batch', deviceId: device.id, firstSeq: first, lastSeq: last, placedFromSeq: first, lastHash: rows.rows.at(-1)?.hash ?? GENESIS_HASH, recordsDigest: recordsDigest(hashes) }, hashes);
        sealed.receipts++;
      }
    }
    return sealed;
  });
}
