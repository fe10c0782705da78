// bench/audit's client: a worker thread that sends prepared batch bodies to the audit server and
// times each request. In production the devices are other machines; here the client still shares
// the 2 cores, but no longer the server's event loop, whose time is what bench/audit measures.
import { parentPort } from 'node:worker_threads';

/** One timed phase: every device's bodies sent in order, the devices at once. */
export interface SendJob {
  baseUrl: string;
  devices: Array<{ token: string; bodies: Uint8Array[] }>;
  /** Requests each device keeps in flight: 1 = wait for each answer, 2 = what the sync client does. */
  window: number;
  /** Records per batch: the ack each answer must carry moves on by this much. */
  batch: number;
}

export type SendOutcome = { ok: true; ms: number; latencies: number[] } | { ok: false; error: string };

async function post(url: string, token: string, body: Uint8Array): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  return { status: response.status, json: JSON.parse(await response.text()) as Record<string, unknown> };
}

/** Sends one device's bodies in order with up to `window` in flight; each batch's latency in ms. */
async function send(job: SendJob, token: string, bodies: Uint8Array[]): Promise<number[]> {
  const latencies: number[] = [];
  const inFlight: Array<Promise<{ status: number; json: Record<string, unknown> }>> = [];
  let next = 0;
  let expectedAck = 0;
  while (next < bodies.length || inFlight.length > 0) {
    while (next < bodies.length && inFlight.length < job.window) {
      const t = performance.now();
      inFlight.push(
        post(`${job.baseUrl}/v1/ingest`, token, bodies[next++]!).then((reply) => {
          latencies.push(performance.now() - t);
          return reply;
        }),
      );
    }
    const reply = await inFlight.shift()!;
    expectedAck += job.batch;
    if (reply.status !== 200 || reply.json.ackSeq !== expectedAck) throw new Error(`batch ending at ${expectedAck}: ${reply.status} ${JSON.stringify(reply.json)}`);
  }
  return latencies;
}

async function run(job: SendJob): Promise<SendOutcome> {
  const t = performance.now();
  const latencies = (await Promise.all(job.devices.map((device) => send(job, device.token, device.bodies)))).flat();
  return { ok: true, ms: performance.now() - t, latencies };
}

parentPort?.on('message', (job: SendJob) => {
  void run(job).then(
    (outcome) => parentPort?.postMessage(outcome),
    (error: unknown) => parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies SendOutcome),
  );
});
