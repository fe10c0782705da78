// The challenge suite (test/challenges), part 2 of 5: pages of our own that reproduce what real
// web applications do to record and replay, each recorded with the real recorder driven by real
// input and replayed twice by the engine. Every challenge must replay right both times, with no
// silent pass (a passing replay with the wrong end state) and no fallback to a later locator
// candidate; the recordings are then exported to Playwright scripts that must reach the same end
// states. The parts are separate files so that the test runner overlaps them and none comes near
// its time per file on a loaded machine.
import { challengeSuite } from '../challenges/challenge-file.js';

challengeSuite(2);
