// Who a decision made at this machine is recorded as: the person signed in to the operating
// system (the studio, the tray and the CLI all run as that user), never the name of a screen.
import os from 'node:os';

export function personAtThisMachine(env: NodeJS.ProcessEnv = process.env): string {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // No passwd entry for this uid (some containers): fall back to what the login shell set.
  }
  return env['USER'] || env['USERNAME'] || env['LOGNAME'] || `uid ${process.getuid?.() ?? 'unknown'}`;
}
