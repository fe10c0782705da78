// The audit server's container image (Dockerfile), checked without Docker (these machines have
// none): its compile step (server/tsconfig.json) run for real into the image's layout, the
// packages it installs (scripts/server-package.mjs) against what the compiled server imports,
// and the server started from that layout — its console's static files and worker included.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../test/helpers/env.js';
import { importsOf, packageName } from '../test/helpers/packaged-app.js';

const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
const image = mkdtempSync(path.join(os.tmpdir(), 'rpa-server-image-'));
after(() => rmSync(image, { recursive: true, force: true }));

interface ServerPackageScript {
  SERVER_PACKAGES: string[];
  serverManifest(root?: string): { name: string; dependencies: Record<string, string>; scripts: Record<string, string> };
}

describe('the audit server’s container image', { timeout: 300_000 }, () => {
  let script: ServerPackageScript;
  before(async () => {
    script = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'server-package.mjs')).href)) as ServerPackageScript;
    // The image's build stage: compile, write the manifest, lay out /out.
    const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(REPO_ROOT, 'server', 'tsconfig.json'), '--outDir', path.join(image, 'dist')], { encoding: 'utf8', timeout: 240_000 });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    const manifest = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'server-package.mjs'), image], { encoding: 'utf8' });
    assert.equal(manifest.status, 0, manifest.stderr);
    mkdirSync(path.join(image, 'server', 'console'), { recursive: true });
    cpSync(path.join(REPO_ROOT, 'server', 'console', 'static'), path.join(image, 'server', 'console', 'static'), { recursive: true });
  });

  it('builds on node:20-slim, compiles only the server and the audit library, and runs dist/server/main.js as an unprivileged user', () => {
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(froms, ['node:20-slim', 'node:20-slim']);
    assert.match(dockerfile, /npx tsc -p server\/tsconfig\.json/);
    assert.match(dockerfile, /node scripts\/server-package\.mjs \/out/);
    assert.match(dockerfile, /npm install --omit=dev/);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /HOST=0\.0\.0\.0/, 'listens beyond the container');
    assert.match(dockerfile, /^CMD \["node", "--max-semi-space-size=64", "dist\/server\/main\.js"\]$/m);
    for (const copied of [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/))) assert.ok(existsSync(path.join(REPO_ROOT, copied)), `COPY ${copied} exists`);
    const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const heavy of ['node_modules', 'dist', '.git']) assert.ok(ignored.includes(heavy), `.dockerignore leaves out ${heavy}`);
  });

  it('emits only server and audit code, and every relative import lands on an emitted file', () => {
    const dist = path.join(image, 'dist');
    const seen = new Set<string>();
    const dangling: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      if (!existsSync(file)) return void dangling.push(path.relative(dist, file));
      for (const specifier of importsOf(file)) if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
    };
    visit(path.join(dist, 'server', 'main.js'));
    visit(path.join(dist, 'server', 'verify-worker.js')); // started by URL (new Worker), not imported
    assert.deepEqual(dangling, []);
    const top = new Set([...seen].map((file) => path.relative(dist, file).split(path.sep)[0]));
    assert.deepEqual([...top].sort(), ['audit', 'server']);
  });

  it('installs exactly the packages the compiled server imports, at the versions package-lock.json holds', () => {
    const dist = path.join(image, 'dist');
    const imported = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.js')) for (const specifier of importsOf(full)) {
          const name = packageName(specifier);
          if (name && !isBuiltin(name)) imported.add(name);
        }
      }
    };
    walk(dist);
    assert.deepEqual([...imported].sort(), [...script.SERVER_PACKAGES].sort());
    const manifest = JSON.parse(readFileSync(path.join(image, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    for (const [name, version] of Object.entries(manifest.dependencies)) assert.equal(version, lock.packages[`node_modules/${name}`]?.version, name);
    for (const desktop of ['electron-store', 'playwright-core', 'tesseract.js', 'better-sqlite3', 'react']) assert.ok(!(desktop in manifest.dependencies), `${desktop} stays out of the server image`);
  });

  it('starts from the image’s layout and serves its API and console', { timeout: 120_000 }, async () => {
    // `npm install` in the image; here the project's node_modules stands in for it.
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(image, 'node_modules'), 'dir');
    const admin = 'a'.repeat(32);
    const server = spawn(process.execPath, ['dist/server/main.js'], {
      cwd: image,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', AUDIT_DATA_DIR: 'memory://', AUDIT_ADMIN_TOKEN: admin, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 90_000;
      let url: string | undefined;
      while (!(url = /listening on (http:\/\/\S+)/.exec(output)?.[1])) {
        if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal((await fetch(`${url}/health`)).status, 200);
      const page = await fetch(`${url}/console/`);
      assert.equal(page.status, 200);
      assert.equal(await page.text(), readFileSync(path.join(image, 'server', 'console', 'static', 'index.html'), 'utf8'));
      assert.equal((await fetch(`${url}/v1/devices`, { headers: { authorization: `Bearer ${admin}` } })).status, 200);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => (server.exitCode !== null ? resolve(undefined) : server.once('exit', resolve)));
    }
  });
});
