// uiohook key codes (physical keys) → what they type on a US layout, or their key name.
// uiohook reports keys, not characters, so the layout is an assumption (documented).

const PRINTABLE: Record<number, [string, string]> = {
  2: ['1', '!'], 3: ['2', '@'], 4: ['3', '#'], 5: ['4', '$'], 6: ['5', '%'], 7: ['6', '^'], 8: ['7', '&'], 9: ['8', '*'], 10: ['9', '('], 11: ['0', ')'],
  12: ['-', '_'], 13: ['=', '+'], 26: ['[', '{'], 27: [']', '}'], 43: ['\\', '|'], 39: [';', ':'], 40: ["'", '"'], 41: ['`', '~'], 51: [',', '<'], 52: ['.', '>'], 53: ['/', '?'],
  57: [' ', ' '],
  16: ['q', 'Q'], 17: ['w', 'W'], 18: ['e', 'E'], 19: ['r', 'R'], 20: ['t', 'T'], 21: ['y', 'Y'], 22: ['u', 'U'], 23: ['i', 'I'], 24: ['o', 'O'], 25: ['p', 'P'],
  30: ['a', 'A'], 31: ['s', 'S'], 32: ['d', 'D'], 33: ['f', 'F'], 34: ['g', 'G'], 35: ['h', 'H'], 36: ['j', 'J'], 37: ['k', 'K'], 38: ['l', 'L'],
  44: ['z', 'Z'], 45: ['x', 'X'], 46: ['c', 'C'], 47: ['v', 'V'], 48: ['b', 'B'], 49: ['n', 'N'], 50: ['m', 'M'],
  82: ['0', '0'], 79: ['1', '1'], 80: ['2', '2'], 81: ['3', '3'], 75: ['4', '4'], 76: ['5', '5'], 77: ['6', '6'], 71: ['7', '7'], 72: ['8', '8'], 73: ['9', '9'],
  55: ['*', '*'], 78: ['+', '+'], 74: ['-', '-'], 83: ['.', '.'], 3637: ['/', '/'],
};

const NAMED: Record<number, string> = {
  14: 'Backspace', 15: 'Tab', 28: 'Enter', 3612: 'Enter', 1: 'Escape', 3657: 'PageUp', 3665: 'PageDown', 3663: 'End', 3655: 'Home',
  57419: 'ArrowLeft', 57416: 'ArrowUp', 57421: 'ArrowRight', 57424: 'ArrowDown', 3666: 'Insert', 3667: 'Delete',
  59: 'F1', 60: 'F2', 61: 'F3', 62: 'F4', 63: 'F5', 64: 'F6', 65: 'F7', 66: 'F8', 67: 'F9', 68: 'F10', 87: 'F11', 88: 'F12',
};

/** Shift, Control, Alt, Meta (left and right), Caps/Num/Scroll Lock: only ever part of a combination. */
const MODIFIERS = new Set([42, 54, 29, 3613, 56, 3640, 3675, 3676, 58, 69, 70]);

export type KeyMeaning = { modifier: true } | { character: string; name: string } | { name: string } | undefined;

export function keyMeaning(keycode: number, shift: boolean): KeyMeaning {
  if (MODIFIERS.has(keycode)) return { modifier: true };
  const printable = PRINTABLE[keycode];
  if (printable) {
    const base = printable[0];
    const name = base === ' ' ? 'Space' : /^[a-z]$/.test(base) ? base.toUpperCase() : base;
    return { character: shift ? printable[1] : printable[0], name };
  }
  const name = NAMED[keycode];
  return name ? { name } : undefined;
}
