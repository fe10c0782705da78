// Top-level windows: list, find by title or process, focus. On X11 through xdotool/xwininfo
// (nut-js's window list there holds the window manager's frames, with empty titles and
// parent-relative positions); on Windows and macOS through nut-js.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RpaError } from '../errors.js';
import type { Rect } from './bitmap.js';

const run = promisify(execFile);

export interface DesktopWindow {
  /** Native handle, as text. */
  id: string;
  title: string;
  /** The window's client area in screen pixels. */
  rect: Rect;
}

/** "/regex/flags" is a regular expression; anything else a case-insensitive substring. */
export function titleMatcher(pattern: string): (title: string) => boolean {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (regex) {
    let compiled: RegExp;
    try {
      compiled = new RegExp(regex[1]!, regex[2]);
    } catch (error) {
      throw new RpaError(`window title pattern ${pattern} is not a valid regular expression: ${(error as Error).message}`);
    }
    return (title) => compiled.test(title);
  }
  const wanted = pattern.toLowerCase();
  return (title) => title.toLowerCase().includes(wanted);
}

const isX11 = (): boolean => process.platform === 'linux';

function xdotool(...args: string[]): Promise<string> {
  return xdotoolWithin(10_000, args);
}

async function xdotoolWithin(timeoutMs: number, args: string[]): Promise<string> {
  try {
    return (await run('xdotool', args, { timeout: timeoutMs })).stdout;
  } catch (error) {
    const failure = error as { code?: string | number; stdout?: string };
    if (failure.code === 'ENOENT') throw new RpaError('xdotool is not installed; desktop windows on Linux need it (Debian: apt-get install xdotool x11-utils)');
    // "search" exits 1 when nothing matched.
    if (failure.code === 1) return failure.stdout ?? '';
    throw error;
  }
}

async function x11Rect(id: string): Promise<Rect | undefined> {
  try {
    const { stdout } = await run('xwininfo', ['-id', id], { timeout: 10_000 });
    const field = (name: string): number => Number(new RegExp(`${name}:\\s*(-?\\d+)`).exec(stdout)?.[1] ?? NaN);
    const rect = { x: field('Absolute upper-left X'), y: field('Absolute upper-left Y'), width: field('Width'), height: field('Height') };
    return Object.values(rect).every(Number.isFinite) ? rect : undefined;
  } catch {
    return undefined; // the window closed meanwhile
  }
}

async function x11Window(id: string): Promise<DesktopWindow | undefined> {
  const title = (await xdotool('getwindowname', id).catch(() => '')).replace(/\n$/, '');
  const rect = await x11Rect(id);
  return rect ? { id, title, rect } : undefined;
}

/**
 * The visible windows the search finds, with their titles, in one xdotool run: on a loaded
 * machine each program started costs a few hundred ms, and a title read per window made listing
 * the windows most of a desktop look. The run prints each window's block (WINDOW=id, then five
 * more lines; only the id is used: rectangles come from xwininfo) and then their titles in the
 * same order. When that does not pair up (a window closed meanwhile, a title with a line break),
 * the ids are listed alone and each title read on its own, as before.
 */
async function x11Titles(args: string[]): Promise<Array<{ id: string; title: string | undefined }>> {
  const out = await xdotool('search', '--onlyvisible', ...args, 'getwindowgeometry', '--shell', '%@', 'getwindowname', '%@').catch(() => undefined);
  if (out !== undefined) {
    const lines = out.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const ids: string[] = [];
    let at = 0;
    while (at + 6 <= lines.length && /^WINDOW=\d+$/.test(lines[at]!) && /^SCREEN=/.test(lines[at + 5]!)) {
      ids.push(lines[at]!.slice('WINDOW='.length));
      at += 6;
    }
    const titles = lines.slice(at);
    if (titles.length === ids.length) return ids.map((id, index) => ({ id, title: titles[index] }));
  }
  const ids = (await xdotool('search', '--onlyvisible', ...args)).split('\n').filter(Boolean);
  return ids.map((id) => ({ id, title: undefined }));
}

async function x11Search(args: string[], keep: (title: string) => boolean = () => true): Promise<DesktopWindow[]> {
  const listed = await x11Titles(args);
  const found: DesktopWindow[] = [];
  for (const { id, title: read } of listed) {
    const title = read ?? (await xdotool('getwindowname', id).catch(() => '')).replace(/\n$/, '');
    if (!title || !keep(title)) continue;
    const rect = await x11Rect(id);
    if (rect && rect.width > 1 && rect.height > 1) found.push({ id, title, rect });
  }
  return found;
}

async function nutWindows(keep: (title: string) => boolean): Promise<DesktopWindow[]> {
  const { getWindows } = await import('@nut-tree-fork/nut-js');
  const found: DesktopWindow[] = [];
  for (const window of await getWindows()) {
    const title = await window.getTitle();
    if (!title || !keep(title)) continue;
    const region = await window.getRegion();
    found.push({ id: String((window as unknown as { windowHandle: number }).windowHandle), title, rect: { x: region.left, y: region.top, width: region.width, height: region.height } });
  }
  return found;
}

/** Visible windows whose title matches the pattern. */
export async function findWindows(titlePattern: string): Promise<DesktopWindow[]> {
  const keep = titleMatcher(titlePattern);
  return isX11() ? x11Search(['--name', '.'], keep) : nutWindows(keep);
}

/** Visible windows of a process: a pid, or a program / window class name. X11 only. */
export async function findProcessWindows(process: string): Promise<DesktopWindow[]> {
  if (!isX11()) throw new RpaError('finding a window by process works on Linux (X11) only; use a title pattern instead');
  if (/^\d+$/.test(process)) return x11Search(['--pid', process]);
  const escaped = process.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const byClass = await x11Search(['--class', `^${escaped}$`]);
  return byClass.length ? byClass : x11Search(['--classname', `^${escaped}$`]);
}

/** The window with this handle as it is now, or undefined once it has closed. */
export async function windowById(id: string): Promise<DesktopWindow | undefined> {
  if (isX11()) return x11Window(id);
  return (await nutWindows(() => true)).find((window) => window.id === id);
}

export async function activeWindow(): Promise<DesktopWindow | undefined> {
  if (isX11()) {
    const id = (await xdotool('getactivewindow').catch(() => '')).trim();
    return id ? x11Window(id) : undefined;
  }
  const { getActiveWindow } = await import('@nut-tree-fork/nut-js');
  const window = await getActiveWindow();
  const region = await window.getRegion();
  return { id: String((window as unknown as { windowHandle: number }).windowHandle), title: await window.getTitle(), rect: { x: region.left, y: region.top, width: region.width, height: region.height } };
}

/** The process that owns a window (X11: its _NET_WM_PID), or undefined where that cannot be told. */
export async function windowPid(id: string): Promise<number | undefined> {
  if (!isX11()) return undefined;
  const pid = Number((await xdotool('getwindowpid', id).catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The window a dialog belongs to (X11: its WM_TRANSIENT_FOR), or undefined. */
export async function transientFor(id: string): Promise<string | undefined> {
  if (!isX11()) return undefined;
  try {
    const { stdout } = await run('xprop', ['-id', id, 'WM_TRANSIENT_FOR'], { timeout: 10_000 });
    const owner = /window id # (0x[0-9a-f]+)/i.exec(stdout)?.[1];
    return owner ? String(Number.parseInt(owner, 16)) : undefined;
  } catch {
    return undefined;
  }
}

/** `timeoutMs`: how long each attempt may wait for the window to be active (X11; a window that keeps taking the focus back makes it wait). */
export async function focusWindow(window: DesktopWindow, timeoutMs = 10_000): Promise<void> {
  if (isX11()) {
    // windowactivate asks the window manager (and waits for it); without one, set focus directly.
    await xdotoolWithin(timeoutMs, ['windowactivate', '--sync', window.id]).catch(() => xdotoolWithin(timeoutMs, ['windowfocus', '--sync', window.id]));
    return;
  }
  const { getWindows } = await import('@nut-tree-fork/nut-js');
  for (const candidate of await getWindows()) {
    if (String((candidate as unknown as { windowHandle: number }).windowHandle) === window.id) {
      await candidate.focus();
      return;
    }
  }
  throw new RpaError(`window "${window.title}" is gone`);
}

/**
 * A top-level window as the stacking order shows it: the window manager's frame (or an
 * unmanaged window: a notification, a menu) with the program's window inside it.
 */
export interface StackedWindow extends DesktopWindow {
  /** The frame's (or unmanaged window's) place on screen, decorations included: where it covers what is below. */
  outer: Rect;
  /**
   * popup: a menu, tooltip or drop-down list (_NET_WM_WINDOW_TYPE), part of the window that
   * opened it; window: any other (a program's window, a dialog, a notification).
   */
  kind: 'popup' | 'window';
}

/** Window types that are part of the window that opened them. */
const POPUP_TYPES = /_NET_WM_WINDOW_TYPE_(DROPDOWN_MENU|POPUP_MENU|MENU|TOOLTIP|COMBO|DND)\b/;
/** Each window's kind by id (a window keeps its type while it lives; ids are not soon reused). */
const kinds = new Map<number, Promise<StackedWindow['kind']>>();

function kindOf(id: number): Promise<StackedWindow['kind']> {
  let known = kinds.get(id);
  if (!known) {
    known = run('xprop', ['-id', String(id), '_NET_WM_WINDOW_TYPE'], { timeout: 10_000 }).then(
      ({ stdout }) => (POPUP_TYPES.test(stdout) ? 'popup' : 'window'),
      () => 'window' as const,
    );
    if (kinds.size > 500) kinds.clear();
    kinds.set(id, known);
  }
  return known;
}

/** One line of `xwininfo -tree`: indent, id, name (undefined: none), absolute rect. */
const TREE_LINE = /^(\s*)(0x[0-9a-f]+) (?:"((?:[^"\\]|\\.)*)"|\(has no name\)):.*?\s(\d+)x(\d+)[+-]-?\d+[+-]-?\d+\s+\+?(-?\d+)\+?(-?\d+)\s*$/;

/**
 * The windows mapped on the screen, topmost first (X11 stacking order): each top-level window
 * with the named program window inside it. Undefined where the platform has no stacking order
 * to read (Windows and macOS through nut-js: not yet).
 */
export async function stackedWindows(): Promise<StackedWindow[] | undefined> {
  if (!isX11()) return undefined;
  const [tree, viewable] = await Promise.all([
    run('xwininfo', ['-root', '-tree'], { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }).then((result) => result.stdout),
    // Mapped (viewable) children of the root: the tree alone does not say which are.
    xdotool('search', '--onlyvisible', '--maxdepth', '1', '--name', '^'),
  ]);
  const shown = new Set(viewable.split('\n').filter(Boolean).map((id) => Number(id)));
  const nodes: Array<{ depth: number; id: number; name: string | undefined; rect: Rect }> = [];
  for (const line of tree.split('\n')) {
    const parsed = TREE_LINE.exec(line);
    if (!parsed) continue;
    nodes.push({
      depth: parsed[1]!.length,
      id: Number.parseInt(parsed[2]!, 16),
      name: parsed[3]?.replace(/\\(.)/g, '$1'),
      rect: { x: Number(parsed[6]), y: Number(parsed[7]), width: Number(parsed[4]), height: Number(parsed[5]) },
    });
  }
  if (!nodes.length) return [];
  // xwininfo lists each window's children topmost first; the root's children are the least indented.
  const top = Math.min(...nodes.map((node) => node.depth));
  const stack: StackedWindow[] = [];
  for (const [at, node] of nodes.entries()) {
    if (node.depth !== top || !shown.has(node.id) || node.rect.width <= 1 || node.rect.height <= 1) continue;
    // The program's window: the window itself when named, else its first named descendant.
    let client = node.name !== undefined ? node : undefined;
    for (let next = at + 1; !client && next < nodes.length && nodes[next]!.depth > top; next++) if (nodes[next]!.name !== undefined) client = nodes[next];
    const chosen = client ?? node;
    stack.push({ id: String(chosen.id), title: chosen.name ?? '', rect: chosen.rect, outer: node.rect, kind: 'window' });
  }
  await Promise.all(stack.map(async (window) => (window.kind = await kindOf(Number(window.id)))));
  return stack;
}

/** The topmost window of `stack` that covers the point, or undefined (the bare desktop). */
export function windowAtPoint(stack: readonly StackedWindow[], point: { x: number; y: number }): StackedWindow | undefined {
  return stack.find(({ outer }) => point.x >= outer.x && point.y >= outer.y && point.x < outer.x + outer.width && point.y < outer.y + outer.height);
}

/** The topmost window at a point of the screen now; undefined on the bare desktop, null where the platform cannot tell. */
export async function windowAt(point: { x: number; y: number }): Promise<StackedWindow | undefined | null> {
  const stack = await stackedWindows();
  return stack ? windowAtPoint(stack, point) : null;
}
