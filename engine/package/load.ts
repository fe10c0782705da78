// Reading an automation that may be a package: for the places that only inspect it (adding a
// schedule, the studio's schedule form) and keep the package's own path. A package is checked
// for integrity and unpacked into the cache; whether its signer is trusted is decided at run time.
import path from 'node:path';
import { loadAutomation, type LoadedAutomation } from '../format/load.js';
import { extractForRun } from './extract.js';
import { PACKAGE_EXTENSION } from './pack.js';

export function isPackageFile(file: string): boolean {
  return file.endsWith(PACKAGE_EXTENSION);
}

/** The automation in `file` (JSON or package) and the path to keep for running it later. */
export function loadAutomationOrPackage(file: string, cacheDir: string): { automation: LoadedAutomation; file: string } {
  if (!isPackageFile(file)) {
    const automation = loadAutomation(file);
    return { automation, file: automation.file };
  }
  const extracted = extractForRun(file, { cacheDir });
  return { automation: loadAutomation(extracted.automationFile), file: path.resolve(file) };
}
