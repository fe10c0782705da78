// Accessibility selectors for desktop programs: what a platform's accessibility API tells about
// windows and the controls in them. On Linux AT-SPI (GTK, Qt, LibreOffice, Firefox); Windows UI
// Automation and macOS AX fit the same interface (see index.ts for what is available where).
import type { Rect } from '../bitmap.js';

export interface A11yWindow {
  /** Handle for elements(); valid while the window's program runs. */
  ref: string;
  title: string;
  /** Platform role, e.g. AT-SPI "frame" or "dialog". */
  role: string;
  /** The program's name as the platform knows it. */
  app: string;
  pid?: number;
  /** Screen rectangle. */
  rect: Rect;
  active: boolean;
}

export interface A11yAncestor {
  role: string;
  name: string;
}

export interface A11yElement {
  ref: string;
  /** Platform role in lower case, e.g. AT-SPI "push button", "text", "check box". */
  role: string;
  /** Accessible name ("" when it has none: an entry is usually named only by its label). */
  name: string;
  /** Names of the elements that label it (AT-SPI labelled-by, UIA LabeledBy, AX TitleUIElement); listed for controls without a name only. */
  labels: string[];
  /** Ancestors from the window (exclusive) down to the element (exclusive), outermost first. */
  path: A11yAncestor[];
  /** Screen rectangle. */
  rect: Rect;
  /** e.g. "showing", "focusable", "editable", "focused", "checked". */
  states: string[];
}

export interface A11yProvider {
  /** "AT-SPI", "UI Automation" or "AX". */
  readonly api: string;
  /** Why selectors cannot be used here (no bus, API missing), or undefined when they can. */
  unavailable(): Promise<string | undefined>;
  /** Top-level windows that are showing. */
  windows(): Promise<A11yWindow[]>;
  /** The showing elements of a window, in tree order. */
  elements(window: A11yWindow): Promise<A11yElement[]>;
  /** Ends helper processes or connections; a later call starts them again. */
  close(): Promise<void>;
}
