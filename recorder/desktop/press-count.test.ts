import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PressCounter } from './press-count.js';

describe('desktop recorder: which press of a double click a press is', () => {
  it('a press elsewhere soon after another is a new click, though the hook counted it as the second', () => {
    const counter = new PressCounter();
    assert.equal(counter.count({ x: 120, y: 80, button: 1, reported: 1 }), 1);
    // OK, 100 ms after the list row: libuiohook reports clicks = 2.
    assert.equal(counter.count({ x: 300, y: 240, button: 1, reported: 2 }), 1);
  });

  it('two presses in one place (within a few pixels) soon after each other are a double click, three a triple click', () => {
    const counter = new PressCounter();
    assert.equal(counter.count({ x: 120, y: 80, button: 1, reported: 1 }), 1);
    assert.equal(counter.count({ x: 122, y: 79, button: 1, reported: 2 }), 2);
    assert.equal(counter.count({ x: 121, y: 80, button: 1, reported: 3 }), 3);
  });

  it('the count starts again at the new place: a press elsewhere, then a second one there, is a double click there', () => {
    const counter = new PressCounter();
    counter.count({ x: 120, y: 80, button: 1, reported: 1 });
    assert.equal(counter.count({ x: 300, y: 240, button: 1, reported: 2 }), 1);
    assert.equal(counter.count({ x: 300, y: 240, button: 1, reported: 3 }), 2);
  });

  it('the hook decides the time: a press in the same place that it counted as first is a single click', () => {
    const counter = new PressCounter();
    counter.count({ x: 120, y: 80, button: 1, reported: 1 });
    assert.equal(counter.count({ x: 120, y: 80, button: 1, reported: 1 }), 1);
  });

  it('another button in the same place is a new click', () => {
    const counter = new PressCounter();
    counter.count({ x: 120, y: 80, button: 1, reported: 1 });
    assert.equal(counter.count({ x: 120, y: 80, button: 2, reported: 2 }), 1);
  });
});
