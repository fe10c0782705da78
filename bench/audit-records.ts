// Realistic sealed, signed audit batches for the audit benches (bench/audit, bench/audit-breakdown):
// runs of 20 run events (~400-700 bytes of JSON each), signed with the device's Ed25519 key.
import { randomBytes } from 'node:crypto';
import { sealRecord, signBatch, type AuditRecord } from '../audit/index.js';

export const BATCH = 500;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A ULID-shaped id (time + per-device counter): ulid() draws 80 random bits, which dominated preparation. */
function fakeUlid(ms: number, salt: string, n: number): string {
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32]! + time;
  return `${time}${salt}${n.toString(32).toUpperCase().padStart(10, '0')}`.slice(0, 26);
}
const ACTIONS = ['click', 'fill', 'select', 'waitFor', 'read', 'assert', 'keyboard'] as const;
const SELECTORS = ['#invoice-number', 'input[name="amount"]', 'role=button[name="Save and next"]', 'text=Vendor master data', '//table[@id="lines"]/tbody/tr[3]/td[5]'];

function eventPayload(type: string, runId: string, step: number, n: number): Record<string, unknown> {
  switch (type) {
    case 'run.started':
      return {
        type,
        runId,
        headless: true,
        trigger: { kind: 'schedule', cron: '*/5 8-18 * * 1-5' },
        inputs: { invoiceId: `INV-2026-${String(n).padStart(6, '0')}`, vendor: 'ACME Industrial Supplies Ltd', amount: (n % 9973) * 1.25, currency: 'EUR' },
      };
    case 'run.finished':
      return { type, runId, status: n % 17 === 0 ? 'failed' : 'passed', durationMs: 1840 + (n % 400), steps: 18, retries: n % 3, outputs: { posted: n % 17 !== 0, documentNo: `51000${n}` } };
    case 'log':
      return { type, runId, level: 'info', message: `vendor lookup returned ${n % 5} candidates; choosing the one whose VAT number matches the invoice header`, path: `steps[${step}]` };
    default: {
      const action = ACTIONS[n % ACTIONS.length]!;
      return {
        type,
        runId,
        path: `steps[${step}]`,
        action,
        target: { selector: SELECTORS[n % SELECTORS.length]!, timeoutMs: 15000 },
        value: action === 'fill' ? '***' : undefined,
        durationMs: 10 + (n % 250) + 0.5,
        screenshot: n % 10 === 0 ? `shots/${step}.png` : null,
      };
    }
  }
}

/** A device's id, key and chain position: batches continue its chain. */
export interface ChainDevice {
  deviceId: string;
  keys: { publicKeyPem: string; privateKeyPem: string };
  last: { seq: number; hash: string } | undefined;
}

/** n batches of 500 sealed records: runs of 20 events (started, 18 steps/logs, finished). */
export function prepareBatches(device: ChainDevice, batches: number): { bodies: Buffer[]; records: AuditRecord[] } {
  const bodies: Buffer[] = [];
  const all: AuditRecord[] = [];
  const automation = { id: 'invoice-entry', version: '1.4.2', sha256: randomBytes(32).toString('hex') };
  const start = Date.parse('2026-11-22T08:00:00.000Z');
  const salt = randomBytes(3).toString('hex').toUpperCase();
  for (let b = 0; b < batches; b++) {
    const records: AuditRecord[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = (device.last?.seq ?? 0) + 1;
      const runNo = Math.floor((n - 1) / 20);
      const step = (n - 1) % 20;
      const type = step === 0 ? 'run.started' : step === 19 ? 'run.finished' : step % 6 === 0 ? 'log' : step % 11 === 0 ? 'step.retried' : 'step.succeeded';
      const runId = `run_${salt}_${runNo}`;
      const record = sealRecord(
        { id: fakeUlid(start + n * 97, salt, n), deviceId: device.deviceId, ts: new Date(start + n * 97).toISOString(), type, automation, runId, user: 'CORP\\svc-rpa-finance', payload: eventPayload(type, runId, step, n) },
        device.last,
      );
      device.last = { seq: record.seq, hash: record.hash };
      records.push(record);
    }
    all.push(...records);
    // As bytes: the client's share of the CPU (encoding 330 KiB per request) is not what is measured.
    bodies.push(Buffer.from(JSON.stringify(signBatch(device.deviceId, records, device.keys.privateKeyPem))));
  }
  return { bodies, records: all };
}


/** A value for COPY's text format: \\N for NULL; backslash, tab, newline and return escaped. */
function copyText(value: string | number | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** The COPY columns of audit_records, in the order copyRows writes them. */
export const COPY_COLUMNS = 'device_id, seq, id, ts, ts_at, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload, prev_hash, hash';

/** Records as COPY text lines (text format), written the plain way: the floor the server is compared with. */
export function copyRows(records: readonly AuditRecord[]): string {
  let chunk = '';
  for (const r of records) {
    const fields = [r.deviceId, r.seq, r.id, r.ts, new Date(Date.parse(r.ts)).toISOString(), r.type, r.runId, r.automation?.id ?? null, r.automation?.version ?? null, r.automation?.sha256 ?? null, r.user, JSON.stringify(r.payload), r.prevHash, r.hash];
    chunk += `${fields.map(copyText).join('\t')}\n`;
  }
  return chunk;
}
