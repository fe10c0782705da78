// Bundles the page-side scripts (code that runs inside the browser page, not in Node) into
// self-contained IIFE files under dist/, which Node code reads and injects with Playwright.
// Each entry is type-checked by tsconfig.page.json (DOM lib), not by the Node tsconfig.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

// Usage: node scripts/build-page.mjs [OUT_DIR]   (default dist)
const outDir = process.argv[2] ?? 'dist';
const entries = [
  { in: 'engine/page/inspect.ts', out: `${outDir}/engine/page/inspect.bundle.js` },
  { in: 'recorder/page/recorder.ts', out: `${outDir}/recorder/page/recorder.bundle.js` },
];

for (const entry of entries) {
  if (!existsSync(entry.in)) continue;
  await build({ entryPoints: [entry.in], outfile: entry.out, bundle: true, format: 'iife', target: 'chrome110', platform: 'browser', logLevel: 'warning' });
}
