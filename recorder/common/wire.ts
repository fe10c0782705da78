// The messages the page-side recorder sends to Node through the `__rpaRecord` binding, and
// the state Node hands back. Types only: the page imports them (bundled), and Node checks
// every message against the zod schema in recorder/wire-schema.ts, which must match these.

/** A locator candidate; the same shape as Locator in engine/format/schema.ts. */
export type WireLocator =
  | { role: string; name?: string; exact?: boolean }
  | { label: string; exact?: boolean }
  | { testId: string }
  | { placeholder: string; exact?: boolean }
  | { text: string; exact?: boolean }
  | { title: string; exact?: boolean }
  | { css: string }
  | { xpath: string };

export interface WireFingerprint {
  tag: string;
  role?: string;
  name?: string;
  text?: string;
  attributes?: Record<string, string>;
  label?: string;
  formIndex?: number;
  ancestors?: string[];
  box?: { x: number; y: number; width: number; height: number };
}

export interface WireTarget {
  candidates: WireLocator[];
  description: string;
  fingerprint: WireFingerprint;
  /** Identifies the element within its frame for this page load (to merge double clicks, repeated fills). */
  elementId: number;
}

export type PickMode = 'assert' | 'extract' | 'waitFor';

export type PageEvent =
  | { type: 'hello' }
  | { type: 'click'; target: WireTarget; button: 'left' | 'right' | 'middle'; clickCount: number; modifiers: Array<'Alt' | 'Control' | 'Meta' | 'Shift'>; hover?: WireTarget }
  /** A password field sends `secret` (a suggested secret name) and never its value. */
  | { type: 'fill'; target: WireTarget; value?: string; secret?: string }
  | { type: 'press'; target?: WireTarget; key: string }
  /** Keys typed into a rich-text editor (contenteditable): characters, "\n" for Enter. */
  | { type: 'type'; target: WireTarget; text: string }
  | { type: 'select'; target: WireTarget; label?: string; value?: string }
  | { type: 'check'; target: WireTarget; checked: boolean }
  | { type: 'upload'; target: WireTarget; fileNames: string[]; field: string }
  | { type: 'dragTo'; target: WireTarget; to: WireTarget }
  | { type: 'assert'; target: WireTarget; assert: 'visible' | 'textEquals' | 'valueEquals'; expected?: string }
  | { type: 'extract'; target: WireTarget; what: 'text' | 'table'; suggestedName: string }
  | { type: 'waitFor'; target: WireTarget }
  | { type: 'control'; action: 'pause' | 'resume' | 'stop' }
  | { type: 'mode'; mode: PickMode | null }
  | { type: 'dialogAnswer'; action: 'accept' | 'dismiss'; promptText: string };

/** What the page needs to know about the recording; returned for `hello`, pushed on change. */
export interface RecorderState {
  paused: boolean;
  mode: PickMode | null;
  steps: number;
  dialogAnswer: { action: 'accept' | 'dismiss'; promptText: string };
  /** The last recorded step, as one line, for the toolbar. */
  last?: string;
  /** Something the recorder could not record (a frame it cannot enter), shown on the toolbar. */
  warning?: string;
}
