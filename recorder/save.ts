// Writes a recorded automation to disk and reads it back through the same loader `rpa run`
// uses, so a recording that saves is a recording that validates.
import { existsSync, linkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../engine/errors.js';
import { loadAutomation, type LoadedAutomation } from '../engine/format/load.js';
import type { Automation } from '../engine/format/schema.js';

/** Refuses to overwrite: checked before recording starts, so nobody records into a name that is taken. */
export function checkOutputFree(file: string): void {
  if (existsSync(file)) throw new UsageError(`${file} already exists; choose another --out (a recording never overwrites a file)`);
  if (!existsSync(path.dirname(path.resolve(file)))) throw new UsageError(`the folder of ${file} does not exist`);
}

export function saveRecording(automation: Automation, file: string): LoadedAutomation {
  // Written aside, then linked into place: readers never see half a file, and an existing
  // file is never replaced (link fails with EEXIST).
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(automation, null, 2)}\n`, { flag: 'wx' });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${file} already exists; the recording was not saved over it`);
    throw error;
  } finally {
    unlinkSync(temp);
  }
  return loadAutomation(file);
}
