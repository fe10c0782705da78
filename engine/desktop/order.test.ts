// Order locators: the nth of a window's look-alikes in reading order, refused when the window
// holds another number of them or their rows overlap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeNth, nthOf, pickNth, readingOrder } from './order.js';

const place = (x: number, y: number, width = 200, height = 30) => ({ rect: { x, y, width, height } });

describe('order locators', { timeout: 10_000 }, () => {
  it('reads rows from the top and left to right within a row, whatever order the search listed them in', () => {
    const first = place(120, 20);
    const second = place(120, 62);
    const left = place(20, 104, 80);
    const right = place(120, 106, 80);
    assert.deepEqual(readingOrder([right, second, left, first]), [first, second, left, right]);
    assert.deepEqual(nthOf(first, [second, right, first, left]), { index: 0, of: 4 });
    assert.deepEqual(nthOf(right, [second, right, first, left]), { index: 3, of: 4 });
    assert.equal(describeNth({ index: 0, of: 3 }), 'the 1st of 3');
    assert.equal(describeNth({ index: 11, of: 12 }), 'the 12th of 12');
  });

  it('takes the nth only while the window holds as many look-alikes as recorded', () => {
    const entries = [place(120, 62), place(120, 20), place(120, 104)];
    const picked = pickNth(entries, { index: 0, of: 3 });
    assert.ok('place' in picked);
    assert.equal(picked.place, entries[1]);
    const more = pickNth([...entries, place(120, 146)], { index: 0, of: 3 });
    assert.ok('why' in more);
    assert.match(more.why, /recorded as the 1st of 3 look-alikes, but the window holds 4: its structure changed/);
    const fewer = pickNth(entries.slice(1), { index: 0, of: 3 });
    assert.ok('why' in fewer && /holds 2/.test(fewer.why));
  });

  it('refuses an order that is not plain: rows that overlap without being one row', () => {
    const staggered = [place(20, 20), place(240, 36)];
    assert.equal(readingOrder(staggered), undefined);
    const picked = pickNth(staggered, { index: 1, of: 2 });
    assert.ok('why' in picked && /overlapping rows/.test(picked.why));
    assert.equal(nthOf(staggered[0]!, staggered), undefined);
  });
});
