// Key combinations as written in automations ("Control+S", "Enter", "Alt+F4") → nut-js key names.
// Names, not enum values: the native nut-js module is loaded only once a desktop step runs.
import type { Key } from '@nut-tree-fork/nut-js';
import { RpaError } from '../errors.js';

export type KeyName = keyof typeof Key;

const ALIASES: Record<string, KeyName> = {
  control: 'LeftControl',
  ctrl: 'LeftControl',
  shift: 'LeftShift',
  alt: 'LeftAlt',
  option: 'LeftAlt',
  meta: 'LeftSuper',
  super: 'LeftSuper',
  win: 'LeftSuper',
  cmd: 'LeftCmd',
  command: 'LeftCmd',
  // The main Enter key: nut-js's Key.Enter is the keypad's (KP_Enter on X11), which programs
  // that bind Return (a Tk text area, a terminal) do not take as Enter.
  enter: 'Return',
  return: 'Return',
  numpadenter: 'Enter',
  tab: 'Tab',
  escape: 'Escape',
  esc: 'Escape',
  space: 'Space',
  backspace: 'Backspace',
  delete: 'Delete',
  del: 'Delete',
  insert: 'Insert',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  arrowup: 'Up',
  arrowdown: 'Down',
  arrowleft: 'Left',
  arrowright: 'Right',
  up: 'Up',
  down: 'Down',
  left: 'Left',
  right: 'Right',
  minus: 'Minus',
  equal: 'Equal',
  plus: 'Add',
  comma: 'Comma',
  period: 'Period',
  slash: 'Slash',
  '-': 'Minus',
  '=': 'Equal',
  ',': 'Comma',
  '.': 'Period',
  '/': 'Slash',
  ';': 'Semicolon',
  '\\': 'Backslash',
  '[': 'LeftBracket',
  ']': 'RightBracket',
  "'": 'Quote',
  '`': 'Grave',
};

const DIGITS: KeyName[] = ['Num0', 'Num1', 'Num2', 'Num3', 'Num4', 'Num5', 'Num6', 'Num7', 'Num8', 'Num9'];

function keyOf(name: string): KeyName | undefined {
  const lower = name.toLowerCase();
  if (lower in ALIASES) return ALIASES[lower];
  if (/^[a-z]$/.test(lower)) return lower.toUpperCase() as KeyName;
  if (/^[0-9]$/.test(lower)) return DIGITS[Number(lower)];
  if (/^f([1-9]|1[0-9]|2[0-4])$/.test(lower)) return lower.toUpperCase() as KeyName;
  return undefined;
}

/** "Control+Shift+S" → the keys to hold together; throws naming the part it does not know. */
export function parseKeys(combination: string): KeyName[] {
  // "+" itself is a key: "Control++" means Control and plus.
  const parts = combination === '+' ? ['plus'] : combination.replace(/\+\+$/, '+plus').split('+').map((part) => part.trim());
  if (parts.some((part) => !part)) throw new RpaError(`key combination "${combination}" has an empty part; write keys like "Control+S" or "Enter"`);
  return parts.map((part) => {
    const key = keyOf(part);
    if (key === undefined) {
      throw new RpaError(`unknown key "${part}" in "${combination}"; use names like Control, Shift, Alt, Meta, Enter, Tab, Escape, Backspace, Delete, Home, End, PageUp, ArrowUp, F1…F24, a letter or a digit`);
    }
    return key;
  });
}

const UNSHIFTED: Record<string, KeyName> = {
  ' ': 'Space', '\n': 'Return', '\t': 'Tab', '`': 'Grave', '-': 'Minus', '=': 'Equal', '[': 'LeftBracket', ']': 'RightBracket', '\\': 'Backslash',
  ';': 'Semicolon', "'": 'Quote', ',': 'Comma', '.': 'Period', '/': 'Slash',
};
const SHIFTED: Record<string, KeyName> = {
  '~': 'Grave', '!': 'Num1', '@': 'Num2', '#': 'Num3', $: 'Num4', '%': 'Num5', '^': 'Num6', '&': 'Num7', '*': 'Num8', '(': 'Num9', ')': 'Num0',
  _: 'Minus', '+': 'Equal', '{': 'LeftBracket', '}': 'RightBracket', '|': 'Backslash', ':': 'Semicolon', '"': 'Quote', '<': 'Comma', '>': 'Period', '?': 'Slash',
};

/** The keys that type one ASCII character on a US layout (Shift first when needed); undefined for others. */
export function keysForCharacter(character: string): KeyName[] | undefined {
  if (/^[a-z]$/.test(character)) return [character.toUpperCase() as KeyName];
  if (/^[A-Z]$/.test(character)) return ['LeftShift', character as KeyName];
  if (/^[0-9]$/.test(character)) return [DIGITS[Number(character)]!];
  if (character in UNSHIFTED) return [UNSHIFTED[character]!];
  if (character in SHIFTED) return ['LeftShift', SHIFTED[character]!];
  return undefined;
}
