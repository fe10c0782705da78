// Every `rpa` command and every engine host opens an Engine; OpenTelemetry's SDK and exporter
// (about 0.3 s of CPU to load, a third of a CLI command's start) are loaded only when an OTLP
// endpoint is configured. Checked in a fresh process: which modules an Engine.open() loaded.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const API = fileURLToPath(new URL('../api.js', import.meta.url));

/** The OpenTelemetry packages loaded by opening and closing an Engine in a fresh process. */
async function otelLoadedByEngineOpen(env: Record<string, string>): Promise<string[]> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'rpa-lazy-otel-'));
  try {
    const script = `
      import { createRequire } from 'node:module';
      const { Engine } = await import(${JSON.stringify(API)});
      const engine = Engine.open();
      engine.close();
      const loaded = Object.keys(createRequire(import.meta.url).cache)
        .map((file) => /node_modules\\/(@opentelemetry\\/[^/]+)/.exec(file)?.[1])
        .filter(Boolean);
      console.log(JSON.stringify([...new Set(loaded)].sort()));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env['PATH'] ?? '', RPA_HOME: home, ...env },
      timeout: 120_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe('OpenTelemetry is loaded only when traces are exported', { timeout: 240_000 }, () => {
  it('an engine opened without an OTLP endpoint loads no OpenTelemetry package', async () => {
    assert.deepEqual(await otelLoadedByEngineOpen({}), []);
  });

  it('an engine opened with OTEL_EXPORTER_OTLP_ENDPOINT loads the SDK and the exporter', async () => {
    const loaded = await otelLoadedByEngineOpen({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    for (const pkg of ['@opentelemetry/api', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http']) assert.ok(loaded.includes(pkg), `${pkg} in ${loaded.join(', ')}`);
  });
});
