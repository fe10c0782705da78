import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStableClass, looksGeneratedId } from './generated.js';

describe('looksGeneratedId', () => {
  it('keeps ids people write', () => {
    for (const id of ['main', 'login-form', 'user_name', 'step2', 'doc-order', 'claimNumber', 'nav-top', 'col10', 'h1-title', 'btnSave']) {
      assert.equal(looksGeneratedId(id), false, id);
    }
  });
  it('rejects counters, hashes, GUIDs and framework ids', () => {
    for (const id of ['f8392742', 'ember123', 'ext-gen45', ':r1:', ':R2a6:', 'mui-7', 'react-select-3-input', 'j_id12', 'form:j_id12', 'a1b2c3d4', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'item-1700000000', '9lives', 'x7k92', 'sc-bdVaJa', '']) {
      assert.equal(looksGeneratedId(id), true, id);
    }
  });
});

describe('isStableClass', () => {
  it('keeps meaningful class names', () => {
    for (const name of ['claim-no', 'menu', 'menu-items', 'btn-primary', 'SearchForm', 'nav_link']) assert.equal(isStableClass(name), true, name);
  });
  it('rejects utilities, states and hashes', () => {
    for (const name of ['mt-4', 'px-2', 'flex', 'hidden', 'w-1/2', 'hover:bg-blue-500', 'active', 'is-open', 'css-1h3k5x', 'sc-bdVaJa', 'Button_primary__3xYz1', 'jsx-123456', 'a1', 'ng-touched']) {
      assert.equal(isStableClass(name), false, name);
    }
  });
});
