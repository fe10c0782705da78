// `npm run server`: the central audit server. PORT (4790), HOST (127.0.0.1), DATABASE_URL
// (PostgreSQL; else PGlite in AUDIT_DATA_DIR, default ./audit-data), AUDIT_ADMIN_TOKEN (else an
// admin token is generated on first start and printed once; only its hash is stored),
// AUDIT_RETENTION_DAYS (2557 ≈ 7 years, at least 1), AUDIT_METRICS_WINDOW_DAYS (7),
// AUDIT_TLS_CERT + AUDIT_TLS_KEY (PEM file paths: serve HTTPS; both or neither), and
// AUDIT_UPDATES_DIR (folder served as the desktop app's update feed at /updates/; unset: no feed),
// AUDIT_SERVER_KEY_FILE (the server's Ed25519 signing key, PKCS#8 PEM; default server-key.pem in
// AUDIT_DATA_DIR, created at first start; keep it out of the database and back it up) and
// AUDIT_LOG_HEAD_FILE (the newest log entry this server committed, kept beside the key).
// `npm run server` starts Node with --max-semi-space-size=64: ingest parses ~300 KiB batches, and
// with the default 16 MiB young generation garbage collection took a fifth of ingest's time
// (bench/audit: 20-40% more records/s with the flag). Keep it when starting the server another way.
import { readFileSync } from 'node:fs';
import { buildServer } from './app.js';
import { ensureAdminToken } from './auth.js';
import { openDatabase } from './db.js';
import { migrate } from './migrations/index.js';
import { retentionDaysFromEnv } from './retention.js';
import { loadOrCreateServerKey, ServerKey } from './server-key.js';
import { sealExistingHistory } from './seal-history.js';
import { dirname, join } from 'node:path';

/** AUDIT_TLS_CERT / AUDIT_TLS_KEY → the PEM contents, read once at start; undefined for plain HTTP. */
function tlsFromEnv(env: NodeJS.ProcessEnv): { cert: Buffer; key: Buffer } | undefined {
  const certPath = env.AUDIT_TLS_CERT?.trim();
  const keyPath = env.AUDIT_TLS_KEY?.trim();
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath) throw new Error('AUDIT_TLS_CERT and AUDIT_TLS_KEY must be set together');
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`cannot read ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  return { cert: read(certPath, 'AUDIT_TLS_CERT'), key: read(keyPath, 'AUDIT_TLS_KEY') };
}

async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.PORT ?? 4790);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const host = env.HOST?.trim() || '127.0.0.1';
  const adminToken = env.AUDIT_ADMIN_TOKEN?.trim() || undefined;
  if (adminToken !== undefined && adminToken.length < 16) throw new Error('AUDIT_ADMIN_TOKEN must be at least 16 characters');
  const retentionDays = retentionDaysFromEnv(env.AUDIT_RETENTION_DAYS);
  const windowDays = Number(env.AUDIT_METRICS_WINDOW_DAYS?.trim() || 7);
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new Error(`AUDIT_METRICS_WINDOW_DAYS must be a whole number of days, at least 1, got ${env.AUDIT_METRICS_WINDOW_DAYS}`);
  const https = tlsFromEnv(env);
  const updatesDir = env.AUDIT_UPDATES_DIR?.trim() || undefined;
  const verifyThreads = Number(env.AUDIT_VERIFY_THREADS?.trim() || 1);
  if (!Number.isInteger(verifyThreads) || verifyThreads < 0 || verifyThreads > 16) throw new Error(`AUDIT_VERIFY_THREADS must be a whole number from 0 to 16, got ${env.AUDIT_VERIFY_THREADS}`);

  // Requests per token per minute (default 3000), or off: a fleet's robots each lease and settle
  // many times a minute, and a server behind a reverse proxy may leave limits to the proxy.
  const rateLimitText = env.AUDIT_RATE_LIMIT?.trim();
  const rateLimitMax = rateLimitText === undefined || rateLimitText === '' || rateLimitText === 'off' ? undefined : Number(rateLimitText);
  if (rateLimitMax !== undefined && !(Number.isInteger(rateLimitMax) && rateLimitMax >= 1)) throw new Error(`AUDIT_RATE_LIMIT must be a whole number of requests per token per minute, or off; got ${rateLimitText}`);
  const rateLimit = rateLimitText === 'off' ? (false as const) : rateLimitMax !== undefined ? { max: rateLimitMax, timeWindowMs: 60_000 } : undefined;

  // A throw-away database (AUDIT_DATA_DIR=memory://) gets a throw-away key: nothing to keep on disk.
  const dataDir = env.AUDIT_DATA_DIR?.trim() || './audit-data';
  const keyFile = env.AUDIT_SERVER_KEY_FILE?.trim() || (dataDir.startsWith('memory://') && !env.DATABASE_URL?.trim() ? undefined : join(dataDir, 'server-key.pem'));
  const { key: serverKey, created } = keyFile ? loadOrCreateServerKey(keyFile) : { key: ServerKey.generate(), created: true };
  if (created && keyFile) console.log(`Created the server's signing key in ${keyFile} (mode 0600): back it up with the database; verify needs it to prove the server's log.`);
  const db = await openDatabase(env, (error) => console.error(`database connection error: ${error.message}`));
  await migrate(db);
  if (created) {
    const sealed = await sealExistingHistory(db, serverKey);
    if (sealed.devices + sealed.receipts + sealed.anchors > 0) console.log(`Sealed the existing audit data into the server's log: ${sealed.devices} device key(s), ${sealed.receipts} batch receipt(s), ${sealed.anchors} chain anchor(s).`);
  }
  if (!adminToken) {
    const generated = await ensureAdminToken(db);
    if (generated) {
      console.log('Generated the admin token. It is shown only this once; store it now:');
      console.log(`  ${generated}`);
    }
  }
  const app = await buildServer({
    db,
    ...(adminToken ? { adminToken } : {}),
    ...(https ? { https } : {}),
    ...(updatesDir ? { updatesDir } : {}),
    retentionDays,
    verifyThreads,
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    serverKey,
    ...(keyFile ? { logHeadFile: env.AUDIT_LOG_HEAD_FILE?.trim() || join(dirname(keyFile), 'server-log-head.json') } : {}),
    metrics: { windowDays },
    ...(env.AUDIT_TEST_QUEUE_BEFORE_BRIEF === '1' ? { queueBeforeBriefAnswers: true } : {}),
    logger: { level: env.LOG_LEVEL ?? 'info' },
  });
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const where = db.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${env.AUDIT_DATA_DIR?.trim() || './audit-data'}`;
  console.log(`Audit server listening on ${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${actualPort} (${where}; retention ${retentionDays} days)`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    app
      .close()
      .then(() => db.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`audit server failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
