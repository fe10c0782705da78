// Unpacks a verified package for the runner into a cache folder named by the package hash.
// The cache is never trusted as it stands: each call re-hashes the files on disk and rewrites
// any that differ from the manifest, so a changed cached file never runs.
import { lstatSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './archive.js';
import { sha256 } from './manifest.js';
import { verifyPackage, type PackageSigner, type VerifyOptions } from './verify.js';

export interface ExtractOptions extends VerifyOptions {
  cacheDir: string;
}

export interface ExtractedPackage {
  /** Absolute path of the automation JSON inside `dir`. */
  automationFile: string;
  sha256: string;
  signer?: PackageSigner;
  /** `<cacheDir>/<sha256>`: where the files are. */
  dir: string;
}

export function extractForRun(file: string, options: ExtractOptions): ExtractedPackage {
  const verified = verifyPackage(file, options);
  const dir = path.resolve(options.cacheDir, verified.sha256);
  mkdirSync(dir, { recursive: true });
  const realDir = realpathSync(dir);
  for (const listed of verified.manifest.files) {
    const target = path.join(dir, ...listed.path.split('/'));
    if (matchesOnDisk(target, listed.sha256)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    // A folder on the way replaced by a link would send the write elsewhere: start that folder over.
    const realParent = realpathSync(path.dirname(target));
    if (realParent !== realDir && !realParent.startsWith(`${realDir}${path.sep}`)) {
      const firstSegment = path.join(dir, listed.path.split('/')[0]!);
      rmSync(firstSegment, { recursive: true, force: true });
      mkdirSync(path.dirname(target), { recursive: true });
    }
    if (isPresent(target) && !lstatSync(target).isFile()) rmSync(target, { recursive: true, force: true });
    writeFileAtomic(target, verified.files.get(listed.path)!);
  }
  return {
    automationFile: path.join(dir, ...verified.manifest.automation.split('/')),
    sha256: verified.sha256,
    ...(verified.signer && { signer: verified.signer }),
    dir,
  };
}

function matchesOnDisk(file: string, expected: string): boolean {
  try {
    // lstat: a link is never accepted as the cached file, whatever it points at.
    return lstatSync(file).isFile() && sha256(readFileSync(file)) === expected;
  } catch {
    return false;
  }
}

function isPresent(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
