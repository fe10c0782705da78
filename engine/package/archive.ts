// The zip container of a package: entries stored uncompressed (a package is small, and a
// stored entry's bytes can be found and checked in the file as they are), written atomically.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { UsageError } from '../errors.js';
import { PackageInvalidError } from './errors.js';
import { unsafePathReason } from './manifest.js';

/** Reads every entry of a package file. Unreadable, not a zip, compressed or unsafe entries → `damaged`. */
export function readArchive(file: string): Map<string, Buffer> {
  const display = path.basename(file);
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`package not found: ${file}`);
    if (code === 'EISDIR') throw new UsageError(`${file} is a folder; expected a .rpapkg file`);
    throw new PackageInvalidError('damaged', display, `${display}: cannot be read (${code ?? String(error)})`);
  }
  let problem: PackageInvalidError | undefined;
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(data, {
      filter: (info) => {
        const reason = unsafePathReason(info.name.endsWith('/') ? info.name.slice(0, -1) : info.name);
        if (reason) problem ??= new PackageInvalidError('damaged', info.name, `${display}: zip entry "${info.name}" ${reason}; refusing to read this package`);
        else if (info.compression !== 0) problem ??= new PackageInvalidError('damaged', info.name, `${display}: zip entry "${info.name}" is compressed (method ${info.compression}); package entries are stored uncompressed`);
        return !problem;
      },
    });
  } catch (error) {
    throw problem ?? new PackageInvalidError('damaged', display, `${display}: not a package (${(error as Error).message}); the file is damaged or is not an .rpapkg`);
  }
  if (problem) throw problem;
  const entries = new Map<string, Buffer>();
  for (const [name, bytes] of Object.entries(unzipped)) {
    // Folder entries (as other zip tools add them) carry nothing.
    if (name.endsWith('/') && bytes.length === 0) continue;
    entries.set(name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return entries;
}

/** Writes entries as a stored zip, through a temporary file and a rename, so a reader never sees half a package. */
export function writeArchive(file: string, entries: Map<string, Uint8Array>, mtime: Date): void {
  const zippable: Zippable = {};
  for (const [name, bytes] of entries) zippable[name] = bytes;
  writeFileAtomic(file, zipSync(zippable, { level: 0, mtime }));
}

export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, bytes, { flag: 'wx' });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
