// This build's version (package.json), which the engine host and the front ends that attach to
// it compare: a host of another version is refused rather than half understood.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    // dist/engine/version.js → the package.json beside dist/ (also inside the app's ASAR).
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const APP_VERSION = readVersion();
