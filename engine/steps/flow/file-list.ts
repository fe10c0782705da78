// file.list: the files of a folder that match one or more globs, sorted by path, with size and
// modification time — what a bot loops over to work an inbox folder.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { RpaError } from '../../errors.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';

export interface ListedFile {
  /** Absolute path. */
  path: string;
  /** File name, e.g. "invoice-001.pdf". */
  name: string;
  /** Size in bytes. */
  size: number;
  /** Last modification, ISO timestamp. */
  modified: string;
}

function patternsOf(rendered: unknown): string[] {
  const list = Array.isArray(rendered) ? (rendered as unknown[]) : [rendered];
  if (!list.length || list.some((p) => typeof p !== 'string' || !p)) {
    throw new RpaError(`file.list pattern must be a glob or a list of globs, got ${JSON.stringify(rendered)}`);
  }
  return list as string[];
}

/** Lists `folder`; throws an error naming the folder when it is missing or not a folder. */
export async function listFiles(folder: string, patterns: string[], recursive: boolean): Promise<ListedFile[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true, recursive });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'folder not found' : code === 'ENOTDIR' ? 'is a file, expected a folder' : `cannot be read (${code ?? (error as Error).message})`;
    throw new RpaError(`${folder}: ${why}`, { folder });
  }
  // A glob without a "/" matches the file name (at any depth), one with a "/" the path below the folder.
  const byName = patterns.filter((p) => !p.includes('/'));
  const byPath = patterns.filter((p) => p.includes('/'));
  const nameMatches = byName.length ? picomatch(byName) : () => false;
  const pathMatches = byPath.length ? picomatch(byPath) : () => false;
  const listed: ListedFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(folder, file).split(path.sep).join('/');
    if (!nameMatches(entry.name) && !pathMatches(relative)) continue;
    const info = await stat(file);
    listed.push({ path: file, name: entry.name, size: info.size, modified: info.mtime.toISOString() });
  }
  return listed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export const fileList: StepHandler<StepOf<'file.list'>> = async (step, ctx) => {
  const folder = ctx.resolvePath(ctx.renderText(step.folder));
  const patterns = step.pattern === undefined ? ['*'] : patternsOf(ctx.render(step.pattern));
  const files = await listFiles(folder, patterns, step.recursive ?? false);
  ctx.vars[step.into] = files;
  ctx.log('info', `${files.length} file${files.length === 1 ? '' : 's'} in ${folder} matching ${patterns.join(', ')}`);
};
