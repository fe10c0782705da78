import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keysForCharacter, parseKeys } from './keys.js';

describe('parseKeys', () => {
  it('reads keys and combinations', () => {
    assert.deepEqual(parseKeys('Enter'), ['Return'], 'the main Enter key, not the keypad one');
    assert.deepEqual(parseKeys('NumpadEnter'), ['Enter']);
    assert.deepEqual(parseKeys('Control+S'), ['LeftControl', 'S']);
    assert.deepEqual(parseKeys('ctrl+shift+f5'), ['LeftControl', 'LeftShift', 'F5']);
    assert.deepEqual(parseKeys('Alt+4'), ['LeftAlt', 'Num4']);
    assert.deepEqual(parseKeys('Control++'), ['LeftControl', 'Add']);
  });
  it('names the part it does not know', () => {
    assert.throws(() => parseKeys('Control+Hyper'), /unknown key "Hyper" in "Control\+Hyper"/);
    assert.throws(() => parseKeys('Control+ +S'), /empty part/);
  });
});

describe('keysForCharacter', () => {
  it('adds Shift where the US layout needs it', () => {
    assert.deepEqual(keysForCharacter('a'), ['A']);
    assert.deepEqual(keysForCharacter('A'), ['LeftShift', 'A']);
    assert.deepEqual(keysForCharacter('+'), ['LeftShift', 'Equal']);
    assert.deepEqual(keysForCharacter('='), ['Equal']);
    assert.deepEqual(keysForCharacter('7'), ['Num7']);
    assert.equal(keysForCharacter('é'), undefined);
  });
});
