// The desktop challenge suite, part 2 (issue #23): a calculator whose keypad stretches with its
// window, recorded at a fast pace and replayed also moved and resized (the human pace is in
// desktop-challenge-keys.test.ts; what replay must refuse is in desktop-challenge-windows.test.ts;
// part 1, desktop-challenge.test.ts: dialogs, the terminal). One file per pace so that the test
// runner overlaps them.
import { describe } from 'node:test';
import { calculatorCase } from '../fixtures/desktop/calculator-case.js';
import { useChallengeHarness } from '../fixtures/desktop/challenge-harness.js';
import { missingDesktopTools } from '../fixtures/desktop/virtual-display.js';

const skip = missingDesktopTools();

describe('desktop challenge suite under Xvfb: a keypad at a fast pace', { concurrency: false, skip: skip ?? false }, () => {
  const h = useChallengeHarness('desktop-challenge-keys-fast');
  calculatorCase(h, 'fast');
});
