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

async function xdotool(...args: string[]): Promise<string> {
  try {
    return (await run('xdotool', args, { timeout: 10_000 })).stdout;
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

async function x11Search(args: string[], keep: (title: string) => boolean = () => true): Promise<DesktopWindow[]> {
  const ids = (await xdotool('search', '--onlyvisible', ...args)).split('\n').filter(Boolean);
  const found: DesktopWindow[] = [];
  for (const id of ids) {
    const title = (await xdotool('getwindowname', id).catch(() => '')).replace(/\n$/, '');
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

export async function focusWindow(window: DesktopWindow): Promise<void> {
  if (isX11()) {
    // windowactivate asks the window manager (and waits for it); without one, set focus directly.
    await xdotool('windowactivate', '--sync', window.id).catch(() => xdotool('windowfocus', '--sync', window.id));
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
