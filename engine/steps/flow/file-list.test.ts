// file.list as a step of a real run: globs, a list of globs, recursion, sorting, the file
// details, a folder relative to the automation, and the errors for a missing folder or a file.
import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../api.js';
import { loadAutomation } from '../../format/load.js';
import { AutomationInvalidError } from '../../errors.js';
import { Step } from '../../format/schema.js';
import { describeStep } from '../../runner/describe-step.js';
import { tempDir, writeAutomation } from '../../../test/helpers/env.js';
import type { ListedFile } from './file-list.js';

const automation = (steps: unknown[], outputs: string[]) => ({ format: 1, id: 'file-list.test', name: 'file.list test', version: '1.0.0', outputs, steps });

describe('file.list step', { concurrency: false }, () => {
  let dir: string;
  let engine: Engine;
  before(() => {
    dir = tempDir('file-list');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });
    const inbox = path.join(dir, 'inbox');
    mkdirSync(path.join(inbox, 'later'), { recursive: true });
    writeFileSync(path.join(inbox, 'b-invoice.pdf'), 'bb');
    writeFileSync(path.join(inbox, 'a-invoice.pdf'), 'a');
    writeFileSync(path.join(inbox, 'scan.PNG'), 'png!');
    writeFileSync(path.join(inbox, 'scan2.png'), 'png');
    writeFileSync(path.join(inbox, 'notes.txt'), 'x');
    writeFileSync(path.join(inbox, '.hidden.pdf'), 'x');
    writeFileSync(path.join(inbox, 'later', 'c-invoice.pdf'), 'ccc');
    utimesSync(path.join(inbox, 'a-invoice.pdf'), new Date('2024-03-01T10:00:00Z'), new Date('2024-03-01T10:00:00Z'));
  });
  after(() => engine.close());

  const list = async (step: Record<string, unknown>): Promise<ListedFile[]> => {
    const file = writeAutomation(dir, 'list.json', automation([{ kind: 'flow.set', var: 'where', value: 'inbox' }, { kind: 'file.list', into: 'files', ...step }], ['files']));
    const result = await engine.run({ file });
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    return result.outputs['files'] as ListedFile[];
  };

  it('lists the files matching a glob, sorted, with path, name, size and modification time', async () => {
    const files = await list({ folder: '{{vars.where}}', pattern: '*.pdf' });
    assert.deepEqual(files.map((f) => f.name), ['a-invoice.pdf', 'b-invoice.pdf'], 'no sub-folders, no hidden files');
    assert.deepEqual(files[0], { path: path.join(dir, 'inbox', 'a-invoice.pdf'), name: 'a-invoice.pdf', size: 1, modified: '2024-03-01T10:00:00.000Z' });
    assert.equal(files[1]!.size, 2);
  });

  it('takes a list of globs; without a pattern lists every file', async () => {
    assert.deepEqual((await list({ folder: 'inbox', pattern: ['*.pdf', '*.png'] })).map((f) => f.name), ['a-invoice.pdf', 'b-invoice.pdf', 'scan2.png']);
    assert.deepEqual((await list({ folder: 'inbox' })).map((f) => f.name), ['a-invoice.pdf', 'b-invoice.pdf', 'notes.txt', 'scan.PNG', 'scan2.png']);
  });

  it('recursive: files in sub-folders too; a glob with "/" matches the path below the folder', async () => {
    assert.deepEqual((await list({ folder: 'inbox', pattern: '*.pdf', recursive: true })).map((f) => path.relative(dir, f.path)), [
      path.join('inbox', 'a-invoice.pdf'),
      path.join('inbox', 'b-invoice.pdf'),
      path.join('inbox', 'later', 'c-invoice.pdf'),
    ]);
    assert.deepEqual((await list({ folder: 'inbox', pattern: 'later/*', recursive: true })).map((f) => f.name), ['c-invoice.pdf']);
  });

  it('an empty folder or no match gives an empty list', async () => {
    mkdirSync(path.join(dir, 'empty'), { recursive: true });
    assert.deepEqual(await list({ folder: 'empty', pattern: '*.pdf' }), []);
    assert.deepEqual(await list({ folder: 'inbox', pattern: '*.tiff' }), []);
  });

  it('a missing folder fails the step with an error naming it; so does a file given as folder', async () => {
    const missing = writeAutomation(dir, 'missing.json', automation([{ kind: 'file.list', folder: 'no-such-folder', pattern: '*.pdf', into: 'files' }], []));
    const result = await engine.run({ file: missing });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.message, `${path.join(dir, 'no-such-folder')}: folder not found`);
    const notFolder = writeAutomation(dir, 'not-folder.json', automation([{ kind: 'file.list', folder: 'inbox/notes.txt', into: 'files' }], []));
    const second = await engine.run({ file: notFolder });
    assert.equal(second.status, 'failed');
    assert.equal(second.error?.message, `${path.join(dir, 'inbox', 'notes.txt')}: is a file, expected a folder`);
  });

  it('a pattern template that yields no glob fails the step', async () => {
    const file = writeAutomation(dir, 'bad-pattern.json', automation([{ kind: 'flow.set', var: 'globs', value: [] }, { kind: 'file.list', folder: 'inbox', pattern: '{{vars.globs}}', into: 'files' }], []));
    const result = await engine.run({ file });
    assert.equal(result.status, 'failed');
    assert.match(result.error?.message ?? '', /file\.list pattern must be a glob or a list of globs, got \[\]/);
  });

  it('is labelled with its folder in progress and reports', () => {
    assert.equal(describeStep(Step.parse({ kind: 'file.list', folder: 'inbox', pattern: '*.pdf', into: 'files' })), 'list inbox');
  });

  it('validation: the variable counts as set for later steps; missing fields are reported', () => {
    const ok = writeAutomation(dir, 'ok.json', automation([{ kind: 'file.list', folder: 'inbox', into: 'files' }, { kind: 'log', message: '{{vars.files}}' }], ['files']));
    assert.equal(loadAutomation(ok).doc.steps[0]!.kind, 'file.list');
    const bad = writeAutomation(dir, 'bad.json', automation([{ kind: 'file.list', pattern: [], into: 'files' }], []));
    assert.throws(() => loadAutomation(bad), (error: unknown) => {
      assert.ok(error instanceof AutomationInvalidError);
      const messages = error.issues.map((i) => `${i.path}: ${i.message}`);
      assert.ok(messages.includes('steps[0]: missing required field "folder"'), messages.join('\n'));
      assert.ok(messages.some((m) => m.startsWith('steps[0].pattern')), messages.join('\n'));
      return true;
    });
  });
});
