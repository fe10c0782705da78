// Whether a visible browser window can open here, and what to tell a person when it cannot:
// the same words from `rpa record` and from the studio's Record screen, instead of the
// browser's raw launch log.

/** Why no window can open on this machine, or undefined when one can. */
export function missingDisplay(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'linux') return undefined;
  return env['DISPLAY'] || env['WAYLAND_DISPLAY'] ? undefined : 'no display (DISPLAY is not set)';
}

/** What to tell a person who asked for a visible window where none can open. */
export function noDisplayMessage(why: string, startedBy: string): string {
  return `${why}, and recording needs a visible browser window.\nOn a machine without a screen, run it under a virtual one: xvfb-run -a ${startedBy}`;
}

/** A browser launch that failed because the display is missing or cannot be opened. */
export function isDisplayLaunchError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Missing X server or \$DISPLAY|without having a XServer running|cannot open display|Can't open display|Unable to open X display/i.test(message);
}
