// The one error a package check raises. `code` says what kind of failure it is, so a
// caller (the runner, the CLI, the tray) can tell a broken download from a forgery.
import { RpaError } from '../errors.js';

/**
 * - damaged: not a readable package (not a zip, no valid manifest, unsafe paths)
 * - tampered: contents, manifest or signature do not match each other
 * - unsigned: a signature was required and there is none
 * - untrusted: signed correctly, but by a key that is not on the trusted list
 */
export type PackageProblem = 'damaged' | 'tampered' | 'unsigned' | 'untrusted';

export class PackageInvalidError extends RpaError {
  readonly code: PackageProblem;
  /** The entry the problem is in (`manifest.json`, `signature.json`, or a packed file's path), or the package file itself. */
  readonly file: string;
  constructor(code: PackageProblem, file: string, message: string) {
    super(message, { code, file });
    this.code = code;
    this.file = file;
  }
}
