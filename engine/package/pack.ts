// Packs a folder holding an automation (its JSON, image targets, fixtures) into one .rpapkg.
// The automation is validated first; nothing is written unless it loads and every file it
// needs is inside the folder.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AutomationInvalidError, UsageError } from '../errors.js';
import { loadAutomation, type LoadedAutomation } from '../format/load.js';
import { writeArchive } from './archive.js';
import { FILES_PREFIX, Manifest, MANIFEST_ENTRY, manifestBytes, PACKAGE_FORMAT, sha256, unsafePathReason, type ManifestFile } from './manifest.js';

export interface PackOptions {
  /** Package file to write; default `<dir>/../<id>-<version>.rpapkg`. */
  out?: string;
  /** Path of the automation JSON relative to the folder; default automation.json, else the only top-level automation. */
  automation?: string;
}

export const PACKAGE_EXTENSION = '.rpapkg';

export function packDirectory(dir: string, options: PackOptions = {}): { file: string; manifest: Manifest; sha256: string } {
  const root = path.resolve(dir);
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw new UsageError(`folder not found: ${dir}`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${dir} is not a folder; rpa pack takes the folder that holds the automation`);

  const packed = listFiles(root);
  const automation = findAutomation(root, dir, options.automation);
  const automationPath = toPackagePath(root, automation.file);
  checkNeeds(root, dir, automation, new Set(packed));

  const contents = new Map<string, Buffer>();
  const files: ManifestFile[] = [];
  for (const relative of packed) {
    const bytes = readFileSync(path.join(root, ...relative.split('/')));
    contents.set(relative, bytes);
    files.push({ path: relative, sha256: sha256(bytes), bytes: bytes.length });
  }
  const createdAt = new Date();
  const manifest: Manifest = {
    format: PACKAGE_FORMAT,
    automation: automationPath,
    id: automation.doc.id,
    name: automation.doc.name,
    version: automation.doc.version,
    createdAt: createdAt.toISOString(),
    files,
  };
  const bytes = manifestBytes(manifest);
  const out = path.resolve(options.out ?? path.join(root, '..', `${automation.doc.id}-${automation.doc.version}${PACKAGE_EXTENSION}`.replace(/[^A-Za-z0-9._-]/g, '_')));
  if (!existsAsDirectory(path.dirname(out))) throw new UsageError(`cannot write ${out}: folder ${path.dirname(out)} does not exist`);
  const entries = new Map<string, Uint8Array>([[MANIFEST_ENTRY, bytes]]);
  for (const [relative, content] of contents) entries.set(`${FILES_PREFIX}${relative}`, content);
  writeArchive(out, entries, createdAt);
  return { file: out, manifest, sha256: sha256(bytes) };
}

/**
 * Every regular file under the folder, as sorted posix paths; leaves out dotfiles and
 * dot-folders (.git, editor state), node_modules and packages. Symbolic links are not
 * followed: a package holds what is in the folder, not what a link points at.
 */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (absolute: string, relative: string): void => {
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(absolute, entry.name), childRelative);
      else if (entry.isFile() && !entry.name.endsWith(PACKAGE_EXTENSION)) {
        const reason = unsafePathReason(childRelative);
        if (reason) throw new UsageError(`cannot pack ${path.join(absolute, entry.name)}: its path ${reason}; rename it`);
        out.push(childRelative);
      }
    }
  };
  walk(root, '');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function findAutomation(root: string, dir: string, given: string | undefined): LoadedAutomation {
  if (given !== undefined) {
    const file = path.resolve(root, given);
    if (!isInside(root, file)) throw new UsageError(`--automation ${given}: must be a path inside ${dir}`);
    return loadAutomation(path.join(dir, given));
  }
  const conventional = path.join(root, 'automation.json');
  if (existsAsFile(conventional)) return loadAutomation(path.join(dir, 'automation.json'));

  const candidates = readdirSync(root, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.') && e.name.endsWith('.json')).map((e) => e.name).sort();
  if (!candidates.length) throw new UsageError(`no automation in ${dir}: expected automation.json or one automation .json file in the folder`);
  const loaded: LoadedAutomation[] = [];
  const failures: AutomationInvalidError[] = [];
  for (const name of candidates) {
    try {
      loaded.push(loadAutomation(path.join(dir, name)));
    } catch (error) {
      if (!(error instanceof AutomationInvalidError)) throw error;
      failures.push(error);
    }
  }
  if (loaded.length === 1) return loaded[0]!;
  if (loaded.length > 1) {
    throw new UsageError(`${dir} holds several automations (${loaded.map((a) => path.basename(a.file)).join(', ')}); say which one with --automation FILE`);
  }
  // Nothing loads: with one candidate its problems are the answer; with several, list them all.
  throw new AutomationInvalidError(failures.flatMap((failure) => failure.issues));
}

/** The automations it calls and the image targets of all of them must be files that get packed. */
function checkNeeds(root: string, dir: string, automation: LoadedAutomation, packed: Set<string>): void {
  const seen = new Set<string>();
  const visit = (loaded: LoadedAutomation): void => {
    if (seen.has(loaded.file)) return;
    seen.add(loaded.file);
    requirePacked(root, dir, loaded.file, packed, `${loaded.displayFile} (an automation)`);
    for (const image of imageTargets(loaded.doc)) {
      const file = path.resolve(loaded.dir, image.image);
      requirePacked(root, dir, file, packed, `image target "${image.image}" at ${loaded.displayFile}: ${image.at}`);
    }
    for (const child of loaded.called.values()) visit(child);
  };
  visit(automation);
}

function requirePacked(root: string, dir: string, file: string, packed: Set<string>, what: string): void {
  if (!isInside(root, file)) throw new UsageError(`${what} is outside ${dir}; a package holds only what is in the folder, so move it in`);
  const relative = toPackagePath(root, file);
  if (!packed.has(relative)) {
    throw new UsageError(`${what} would not be packed (${relative} is missing, a link, a dotfile or under node_modules); put the file itself in ${dir}`);
  }
}

/** Image candidates of desktop targets anywhere in the steps (templated paths cannot be checked). */
function imageTargets(doc: unknown): Array<{ image: string; at: string }> {
  const found: Array<{ image: string; at: string }> = [];
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${at}[${index}]`));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const childAt = at ? `${at}.${key}` : key;
      if (key === 'candidates' && Array.isArray(child)) {
        child.forEach((candidate: unknown, index) => {
          const image = (candidate as { image?: unknown } | null)?.image;
          if (typeof image === 'string' && !image.includes('{{')) found.push({ image, at: `${childAt}[${index}].image` });
        });
      } else walk(child, childAt);
    }
  };
  walk((doc as { steps?: unknown }).steps, 'steps');
  return found;
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function toPackagePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function existsAsFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}

function existsAsDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
