// Which display a run's windows go to. A run asked of the engine host from a terminal (`rpa run
// --headed`) is run by the host, but its browser belongs on the terminal's display, not the
// host's: the CLI sends its display variables — only those, validated here — and the run's
// browser is started with them. A display the host cannot reach fails the run before it starts,
// naming it, rather than opening the window on another screen. Desktop steps act through the
// host process's own X connection (nut-js, AT-SPI), so they run only on the host's display.
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { canConnect, x11Address } from '../desktop/preflight.js';
import { UsageError } from '../errors.js';

export const DISPLAY_VARIABLES = ['DISPLAY', 'WAYLAND_DISPLAY', 'XAUTHORITY'] as const;

/** The display variables of a caller: nothing else of its environment crosses to the host. */
export const DisplayEnv = z.strictObject({
  /** An X11 display name: [host]:number[.screen]. */
  DISPLAY: z.string().max(255).regex(/^[A-Za-z0-9.-]*(\/unix)?:\d{1,5}(\.\d{1,3})?$/, 'expected an X11 display name like ":0" or "host:10.0"').optional(),
  /** A Wayland socket name in XDG_RUNTIME_DIR, or an absolute path to one. */
  WAYLAND_DISPLAY: z
    .string()
    .max(255)
    .regex(/^[A-Za-z0-9._/-]+$/, 'expected a Wayland socket name like "wayland-0"')
    .refine((name) => !name.split('/').includes('..'), 'a Wayland socket name has no ".."')
    .optional(),
  /** The X authority file: an absolute path. */
  XAUTHORITY: z
    .string()
    .max(4096)
    .refine((file) => path.isAbsolute(file) && !file.includes('\0'), 'expected an absolute path')
    .optional(),
});
export type DisplayEnv = z.infer<typeof DisplayEnv>;

/** The display variables set (non-empty) in an environment. */
export function displayEnvOf(env: NodeJS.ProcessEnv): DisplayEnv {
  return Object.fromEntries(DISPLAY_VARIABLES.filter((name) => env[name]).map((name) => [name, env[name]!]));
}

/** "DISPLAY=:0", "WAYLAND_DISPLAY=wayland-0", or "no display". */
export function describeDisplay(display: DisplayEnv): string {
  const shown = (['DISPLAY', 'WAYLAND_DISPLAY'] as const).filter((name) => display[name]).map((name) => `${name}=${display[name]}`);
  return shown.length ? shown.join(' ') : 'no display';
}

export function sameDisplay(a: DisplayEnv, b: DisplayEnv): boolean {
  return (a.DISPLAY ?? '') === (b.DISPLAY ?? '') && (a.WAYLAND_DISPLAY ?? '') === (b.WAYLAND_DISPLAY ?? '');
}

/** `env` with its display variables replaced by `display`'s (none of the host's is left over). */
export function withDisplay(env: NodeJS.ProcessEnv, display: DisplayEnv): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...env };
  for (const name of DISPLAY_VARIABLES) delete result[name];
  return { ...result, ...display };
}

/** Raised before a run starts when the display it was asked from cannot be used here. */
export class DisplayUnavailableError extends UsageError {}

/**
 * A caller's display checked reachable for one paused run (Engine.checkResumeDisplay), before
 * its review's decision is recorded: the resumed run opens its browser there without probing
 * the display a second time. `browserEnv` undefined: the host's own display.
 */
export class CheckedResumeDisplay {
  constructor(
    readonly runId: string,
    readonly display: DisplayEnv,
    readonly browserEnv: NodeJS.ProcessEnv | undefined,
  ) {}
}

/** Who asked for a window on another display, and what a refusal says instead of opening it there. */
export interface DisplayAsker {
  /** "this run was asked from a terminal" */
  asked: string;
  /** What was not done instead: "It was not run on another display" */
  notDone: string;
  /** What to do instead. */
  advice: string;
}

/** `rpa run` / `rpa review` typed in a terminal on another display than the host's. */
export const RUN_FROM_TERMINAL: DisplayAsker = {
  asked: 'this run was asked from a terminal',
  notDone: 'It was not run on another display',
  advice: "Run it without the engine host (stop rpa agent / the app), or from the host's own session",
};

/** A recording started from a studio (or the app) attached to the host from another display. */
export const RECORDING_FROM_STUDIO: DisplayAsker = {
  asked: 'this recording was asked from a studio',
  notDone: 'No recorder was opened on another display',
  advice: "Record with the hidden browser, or with rpa record in a terminal on that display (it records in its own process), or from the host's own session",
};

/**
 * Checks this process can open windows on `display`: the X server answers on its socket and its
 * authority file is readable, or the Wayland socket exists. `who` names the process in the message.
 */
export async function assertDisplayReachable(display: DisplayEnv, who: string, env: NodeJS.ProcessEnv = process.env, asker: DisplayAsker = RUN_FROM_TERMINAL): Promise<void> {
  const fail = (why: string): never => {
    throw new DisplayUnavailableError(`${asker.asked} on ${describeDisplay(display)}, which ${who} cannot use: ${why}. ${asker.notDone}. ${asker.advice}`, { display });
  };
  if (display.DISPLAY) {
    const address = x11Address(display.DISPLAY);
    if (!address) fail(`"${display.DISPLAY}" is not an X11 display name`);
    if (!(await canConnect(address!))) fail(`no X server answers on ${display.DISPLAY}`);
    if (display.XAUTHORITY) {
      try {
        accessSync(display.XAUTHORITY, constants.R_OK);
      } catch {
        fail(`its X authority file ${display.XAUTHORITY} cannot be read`);
      }
    }
    return;
  }
  if (display.WAYLAND_DISPLAY) {
    const socket = path.isAbsolute(display.WAYLAND_DISPLAY) ? display.WAYLAND_DISPLAY : path.join(env['XDG_RUNTIME_DIR'] ?? '', display.WAYLAND_DISPLAY);
    if (!existsSync(socket)) fail(`there is no Wayland socket ${socket}`);
  }
}
