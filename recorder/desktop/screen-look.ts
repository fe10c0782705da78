// One look at the screen for the desktop recorder: a picture of the screen and the window that
// was active in it. Both are read separately (the window through xdotool, the picture through a
// grab), and on a loaded machine seconds can pass between them: a click in between (an OK that
// closes its dialog) leaves a picture of the screen without the window, labelled with it. The
// recorder then read a closed dialog's button text from a picture of what was behind it, and
// kept the click by its coordinates only (seen at a fast pace, load 16-25). So the active window
// is read again after the grab, and the picture names a window only when it was active (on top,
// unmoved) on both sides of the grab.
import type { Bitmap, Rect } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { activeWindow, type DesktopWindow } from '../../engine/desktop/windows.js';

export interface ScreenLook {
  screen: Bitmap;
  /** The window active before and after the grab (so shown by it); undefined when that changed or none was. */
  window: DesktopWindow | undefined;
}

/** How a look reads the screen: the real functions, or the same wrapped (tests put input in between). */
export interface LookSources {
  activeWindow: () => Promise<DesktopWindow | undefined>;
  captureScreen: () => Promise<Bitmap>;
}

const REAL: LookSources = { activeWindow, captureScreen: () => captureScreen() };

export async function lookAtScreen(sources: LookSources = REAL): Promise<ScreenLook> {
  const before = await sources.activeWindow().catch(() => undefined);
  const screen = await sources.captureScreen();
  if (!before) return { screen, window: undefined };
  const after = await sources.activeWindow().catch(() => undefined);
  const unchanged = after !== undefined && after.id === before.id && sameRect(after.rect, before.rect);
  return { screen, window: unchanged ? after : undefined };
}

const sameRect = (a: Rect, b: Rect): boolean => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
