// Checks, before any desktop step runs, that there is a desktop to drive: on Linux an X11
// display we can connect to (nut-js crashes the process without one), on macOS the
// Accessibility and Screen Recording permissions.
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { RpaError } from '../errors.js';
import type { Automation, Step } from '../format/schema.js';

export class DesktopUnavailableError extends RpaError {}

const DESKTOP_PREFIXES = ['desktop.', 'clipboard.'];

export function isDesktopStep(step: Step): boolean {
  return DESKTOP_PREFIXES.some((prefix) => step.kind.startsWith(prefix));
}

/** True when the automation (at any nesting depth) has a desktop or clipboard step. */
export function usesDesktop(doc: Pick<Automation, 'steps'>): boolean {
  const visit = (steps: readonly Step[]): boolean =>
    steps.some((step) => {
      if (isDesktopStep(step)) return true;
      const nested = step as { then?: Step[]; else?: Step[]; steps?: Step[]; catch?: Step[]; finally?: Step[] };
      return [nested.then, nested.else, nested.steps, nested.catch, nested.finally].some((list) => list !== undefined && visit(list));
    });
  return visit(doc.steps);
}

/** Where an X11 display name (":1", ":1.0", "host:1") listens. */
export function x11Address(display: string): { path: string } | { host: string; port: number } | undefined {
  const match = /^([^:]*):(\d+)(?:\.\d+)?$/.exec(display);
  if (!match) return undefined;
  const [, host, number] = match;
  if (!host || host === 'unix') return { path: `/tmp/.X11-unix/X${number}` };
  return { host: host, port: 6000 + Number(number) };
}

export function canConnect(address: { path: string } | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(address as { path: string });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function checkX11(env: NodeJS.ProcessEnv): Promise<void> {
  const display = env['DISPLAY'];
  if (!display) {
    const wayland = env['WAYLAND_DISPLAY'] ? ' (this is a Wayland session without XWayland: log in to an X11 session)' : '';
    throw new DesktopUnavailableError(
      `desktop steps need a display, and DISPLAY is not set${wayland}. Run on a desktop session, or under a virtual display: xvfb-run -a rpa run FILE`,
      { platform: 'linux' },
    );
  }
  const address = x11Address(display);
  if (!address) throw new DesktopUnavailableError(`DISPLAY is "${display}", which is not an X11 display name like ":0"`, { display });
  if (!(await canConnect(address))) {
    throw new DesktopUnavailableError(`cannot connect to the X11 display "${display}" (is the X server or Xvfb running?)`, { display });
  }
}

function checkMacPermissions(): void {
  let permissions: { getAuthStatus(kind: string): string };
  try {
    permissions = createRequire(import.meta.url)('@nut-tree-fork/node-mac-permissions') as typeof permissions;
  } catch {
    return; // the optional helper is missing: nut-js will ask for the permissions itself
  }
  const missing = [
    ['accessibility', 'Accessibility'],
    ['screen', 'Screen Recording'],
  ].filter(([kind]) => permissions.getAuthStatus(kind!) !== 'authorized').map(([, label]) => label!);
  if (missing.length) {
    throw new DesktopUnavailableError(
      `desktop steps need the macOS ${missing.join(' and ')} permission${missing.length > 1 ? 's' : ''} for the program running rpa (your terminal or the RPA app): System Settings → Privacy & Security → ${missing.join(' / ')}, then start it again`,
      { platform: 'darwin', missing },
    );
  }
}

let checked: Promise<void> | undefined;

/** Throws DesktopUnavailableError when desktop steps cannot run here. Checked once per process. */
export function desktopPreflight(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (process.platform === 'linux') return checkX11(env); // cheap, and the display may come and go
  checked ??= Promise.resolve().then(() => {
    if (process.platform === 'darwin') checkMacPermissions();
  });
  return checked;
}
