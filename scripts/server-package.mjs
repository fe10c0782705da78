// The audit server's own package.json (for its container image, see Dockerfile): the packages
// the compiled server (dist/server, dist/audit) imports, each at the exact version
// package-lock.json holds, and nothing of the desktop app. Run as
//   node scripts/server-package.mjs OUT_DIR
// server/dockerfile.test.ts checks SERVER_PACKAGES against what the compiled server imports.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_PACKAGES = ['@electric-sql/pglite', '@fastify/rate-limit', 'fastify', 'pg', 'pg-copy-streams', 'secure-json-parse', 'ulid', 'zod'];

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function serverManifest(root = ROOT) {
  const project = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const dependencies = {};
  for (const name of SERVER_PACKAGES) {
    const locked = lock.packages[`node_modules/${name}`];
    if (!project.dependencies[name] || !locked) throw new Error(`${name} is not a locked dependency of ${project.name}`);
    dependencies[name] = locked.version;
  }
  return {
    name: 'rpa-audit-server',
    version: project.version,
    description: 'The audit server of RPA Studio: verifies and keeps the signed run logs of every device.',
    license: project.license,
    private: true,
    type: 'module',
    engines: project.engines,
    bin: { 'rpa-audit-server': 'dist/server/main.js' },
    scripts: { start: 'node --max-semi-space-size=64 dist/server/main.js' },
    dependencies,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/server-package.mjs OUT_DIR');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(serverManifest(), null, 2)}\n`);
}
