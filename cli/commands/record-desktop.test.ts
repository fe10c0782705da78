import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../engine/errors.js';
import { splitCommand } from './record-desktop.js';

describe('rpa record --desktop --launch: the command line', { timeout: 10_000 }, () => {
  it('splits words as a shell would, with quotes and escapes, and no expansion', () => {
    assert.deepEqual(splitCommand('python3 /opt/app/form.py --title "Claims Form" \'$HOME\' a\\ b ""'), ['python3', '/opt/app/form.py', '--title', 'Claims Form', '$HOME', 'a b', '']);
    assert.deepEqual(splitCommand('  xcalc  '), ['xcalc']);
    assert.deepEqual(splitCommand('say "a \\"quoted\\" word"'), ['say', 'a "quoted" word']);
  });
  it('refuses an unclosed quote', () => {
    assert.throws(() => splitCommand('python3 "form.py'), (error: unknown) => error instanceof UsageError && /quote " is not closed/.test(error.message));
  });
});
