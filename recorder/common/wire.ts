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

/**
 * Carried by every recorded action: `actionId` names the person's gesture (a press of a key or
 * of the mouse, and every event it causes) during which the page-side recorder sent it, unique
 * across frames and page loads; `at` is the page's clock (ms since the epoch) when it was sent.
 */
export interface ActionStamp {
  actionId?: string;
  at?: number;
}

export type DialogType = 'alert' | 'confirm' | 'prompt';

export type PageEvent =
  | { type: 'hello' }
  | ({ type: 'click'; target: WireTarget; button: 'left' | 'right' | 'middle'; clickCount: number; modifiers: Array<'Alt' | 'Control' | 'Meta' | 'Shift'>; hover?: WireTarget } & ActionStamp)
  /** A password field sends `secret` (a suggested secret name) and never its value. */
  | ({ type: 'fill'; target: WireTarget; value?: string; secret?: string } & ActionStamp)
  | ({ type: 'press'; target?: WireTarget; key: string } & ActionStamp)
  /** Keys typed into a rich-text editor (contenteditable): characters, "\n" for Enter. */
  | ({ type: 'type'; target: WireTarget; text: string } & ActionStamp)
  | ({ type: 'select'; target: WireTarget; label?: string; value?: string } & ActionStamp)
  | ({ type: 'check'; target: WireTarget; checked: boolean } & ActionStamp)
  | ({ type: 'upload'; target: WireTarget; fileNames: string[]; field: string } & ActionStamp)
  | ({ type: 'dragTo'; target: WireTarget; to: WireTarget } & ActionStamp)
  | ({ type: 'assert'; target: WireTarget; assert: 'visible' | 'textEquals' | 'valueEquals'; expected?: string } & ActionStamp)
  | ({ type: 'extract'; target: WireTarget; what: 'text' | 'table'; suggestedName: string } & ActionStamp)
  | ({ type: 'waitFor'; target: WireTarget } & ActionStamp)
  | { type: 'control'; action: 'pause' | 'resume' | 'stop' }
  | { type: 'mode'; mode: PickMode | null }
  | { type: 'dialogAnswer'; action: 'accept' | 'dismiss'; promptText: string }
  /**
   * The page called alert/confirm/prompt and the page-side recorder answered it at once (as the
   * toolbar says). `actionId`: the gesture being handled when the page asked (absent when none
   * was: a timer, an answer from the server); `cameFrom`: for a dialog while the document loads,
   * the history entry of the document before it (see `navigating`); `later`: the gesture's
   * timer asked, in a later task than the gesture's own events; `at`: the page's clock.
   */
  | { type: 'dialog'; dialogType: DialogType; message: string; action: 'accept' | 'dismiss'; promptText?: string; actionId?: string; cameFrom?: string; later?: true; at: number }
  /**
   * A frame the browser may refuse dialogs to (sandboxed) keeps the browser's own dialogs: before
   * calling one it says which gesture asks (as for `dialog`), so Node, which answers the browser's
   * dialog, can place it by that gesture. A refused dialog never comes and its note is dropped.
   */
  | { type: 'asking'; dialogType: DialogType; message: string; actionId?: string; later?: true; at: number }
  /** The document leaves history entry `entry` for another document because of gesture `actionId`. */
  | { type: 'navigating'; actionId: string; entry: string };

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
