// Which press of a double click a mouse press is. libuiohook counts every press of one button
// within the multi-click time (X resource multiClickTime, 200 ms by default) as the next of a
// multi-click, wherever the pointer is: a list row, then OK 100 ms later, came as OK with
// clicks = 2. The recorder took that for the second press of a double click on the row, so the
// row became a double click and the OK click vanished from the recording with no warning (seen
// in CI as "1 of 2 clicks recorded"). A double click is two presses in one place, as GTK and
// Windows count it; a press elsewhere starts a new count.

/** How far apart (pixels, on each axis) two presses may be and still make a double click: GTK's default double-click distance. */
export const DOUBLE_CLICK_DISTANCE_PX = 5;

export interface Press {
  x: number;
  y: number;
  /** The hook's button number (1 left, 2 right, ...). */
  button: number;
  /** How many presses in a row the hook counted (1 for a single press). */
  reported: number;
}

/** Counts presses the way the desktop does: in one place only. */
export class PressCounter {
  private previous: { x: number; y: number; button: number; count: number } | undefined;

  /** This press's number in its multi-click (1 for a single press). */
  count(press: Press): number {
    const previous = this.previous;
    const near = previous !== undefined && previous.button === press.button && Math.abs(press.x - previous.x) <= DOUBLE_CLICK_DISTANCE_PX && Math.abs(press.y - previous.y) <= DOUBLE_CLICK_DISTANCE_PX;
    // The hook decides whether it came soon enough; the place is decided here.
    const count = press.reported >= 2 && near ? Math.min(press.reported, previous.count + 1) : 1;
    this.previous = { x: press.x, y: press.y, button: press.button, count };
    return count;
  }
}
