import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { AutomationInvalidError, formatIssue } from '../errors.js';
import { formatJsonPath, loadAutomation, requiredSecrets } from './load.js';

// The compiled test runs from dist/engine/format/; the repository root is three levels up.
// A build into another folder (e.g. /tmp) is run from the repository root instead.
function repoRoot(): string {
  const besideDist = fileURLToPath(new URL('../../../', import.meta.url));
  return existsSync(path.join(besideDist, 'automations', 'automation.schema.json')) ? besideDist : process.cwd();
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-format-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** Writes a file into the temp folder; objects are written as JSON. Returns its absolute path. */
function write(doc: unknown, name = `automation-${++counter}.json`): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return file;
}

/** The formatted issues of a file that must fail to load. */
function issuesOf(file: string): string[] {
  try {
    loadAutomation(file);
  } catch (error) {
    assert.ok(error instanceof AutomationInvalidError, `expected AutomationInvalidError, got ${String(error)}`);
    assert.equal(error.message, error.issues.map(formatIssue).join('\n'));
    return error.issues.map(formatIssue);
  }
  assert.fail(`expected ${file} to be reported invalid`);
}

const base = { format: 1, id: 'unit.test', name: 'Unit test', version: '1.0.0' } as const;
const log = (message = 'hello') => ({ kind: 'log', message });
const click = (candidates: unknown[] = [{ css: 'button' }]) => ({ kind: 'browser.click', target: { candidates } });
const fill = (value: string) => ({ kind: 'browser.fill', target: { candidates: [{ label: 'Name:' }] }, value });

describe('loadAutomation: JSON and schema problems', () => {
  it('reports an empty candidate list with its exact path', () => {
    const file = write({ ...base, steps: [log(), log(), log(), click([])] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[3].target.candidates: expected at least one locator`]);
  });

  it('suggests the closest kind for an unknown step kind', () => {
    const file = write({ ...base, steps: [{ kind: 'browser.clik', target: { candidates: [{ css: 'a' }] } }] });
    const issues = issuesOf(file);
    assert.equal(issues.length, 1);
    assert.ok(issues[0]!.includes('unknown step kind "browser.clik" (did you mean "browser.click"?)'), issues[0]);
    assert.equal(issues[0], `${file}: steps[0].kind: unknown step kind "browser.clik" (did you mean "browser.click"?)`);
  });

  it('does not suggest a kind when nothing is close', () => {
    const file = write({ ...base, steps: [{ kind: 'desktop.typeIntoMainframe' }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0].kind: unknown step kind "desktop.typeIntoMainframe"`]);
  });

  it('names an order (nth) whose index is not below its count', () => {
    const file = write({ ...base, steps: [{ kind: 'desktop.click', target: { window: 'W', candidates: [{ a11y: { role: 'text', nth: { index: 3, of: 2 } } }] } }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0].target.candidates[0].a11y.nth: expected "index" below "of"`]);
  });

  it('reports a step without a kind', () => {
    const file = write({ ...base, steps: [{ target: { candidates: [{ css: 'a' }] } }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: missing "kind"`]);
  });

  it('reports a missing required field of a step and of the document', () => {
    const stepFile = write({ ...base, steps: [log(), { kind: 'browser.fill', target: { candidates: [{ css: 'input' }] } }] });
    assert.deepEqual(issuesOf(stepFile), [`${stepFile}: steps[1]: missing required field "value"`]);
    const { name: _name, ...withoutName } = base;
    const docFile = write({ ...withoutName, steps: [log()] });
    assert.deepEqual(issuesOf(docFile), [`${docFile}: missing required field "name"`]);
  });

  it('reports an unknown field (a typo) together with the field it was meant to be', () => {
    const file = write({ ...base, steps: [{ kind: 'browser.fill', target: { candidates: [{ css: 'input' }] }, vaule: 'x' }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: missing required field "value"`, `${file}: steps[0]: unknown field "vaule"`]);
  });

  it('names several unknown top-level fields at once', () => {
    const file = write({ ...base, steps: [log()], extra: 1, more: 2 });
    assert.deepEqual(issuesOf(file), [`${file}: unknown fields "extra", "more"`]);
  });

  it('reports a wrong format version', () => {
    const file = write({ ...base, format: 2, steps: [log()] });
    assert.deepEqual(issuesOf(file), [`${file}: format: expected 1, got 2`]);
  });

  it('reports a wrong type with what it got', () => {
    const file = write({ ...base, steps: [{ ...log(), timeoutMs: '5000' }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0].timeoutMs: expected number, got string`]);
  });

  it('explains a locator with two kinds of fields', () => {
    const file = write({ ...base, steps: [click([{ css: 'a', text: 'b' }])] });
    assert.deepEqual(issuesOf(file), [
      `${file}: steps[0].target.candidates[0]: ["css","text"] is not a valid combination of fields here; a locator is one of {role, name?}, {label}, {testId}, {placeholder}, {text}, {title}, {css}, {xpath}`,
    ]);
  });

  it('reports the exactly-one-of rules of select, waitFor and forEach', () => {
    const file = write({
      ...base,
      steps: [
        { kind: 'browser.select', target: { candidates: [{ css: 'select' }] } },
        { kind: 'browser.waitFor', urlContains: '/done', loadState: 'load' },
        { kind: 'flow.forEach', as: 'row', steps: [log()] },
      ],
    });
    assert.deepEqual(issuesOf(file), [
      `${file}: steps[0]: expected exactly one of "value" or "label"`,
      `${file}: steps[1]: expected exactly one of "target", "urlContains" or "loadState"`,
      `${file}: steps[2]: expected exactly one of "items" or "csv"`,
    ]);
  });

  it('reports an empty step list', () => {
    const file = write({ ...base, steps: [] });
    assert.deepEqual(issuesOf(file), [`${file}: steps: expected at least one step`]);
  });

  it('reports nested step problems with the full path', () => {
    const file = write({ ...base, steps: [{ kind: 'flow.if', condition: { left: 'a', op: 'isEmpty' }, then: [log()], else: [log(), click([])] }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0].else[1].target.candidates: expected at least one locator`]);
  });

  it('reports invalid JSON with line and column', () => {
    const file = write('{\n  "format": 1,\n  "id": "x",,\n  "steps": []\n}\n');
    const issues = issuesOf(file);
    assert.equal(issues.length, 1);
    // Line 3 is `  "id": "x",,`; the second comma is its 13th character.
    assert.ok(issues[0]!.startsWith(`${file}: invalid JSON at line 3, column 13: `), issues[0]);
    assert.doesNotMatch(issues[0]!, /position \d+/);
  });

  it('reports a truncated file at the end of its last line', () => {
    const file = write('{\n  "format": 1,\n  "id": "x"');
    const issues = issuesOf(file);
    assert.equal(issues.length, 1);
    assert.ok(issues[0]!.startsWith(`${file}: invalid JSON at line 3, column 12: `), issues[0]);
  });

  it(
    'reports line and column for a trailing comma in a list',
    () => {
      const file = write(`{\n  "format": 1,\n  "steps": [\n    { "kind": "log", "message": "hi" },\n  ]\n}\n`);
      const issues = issuesOf(file);
      assert.equal(issues.length, 1);
      assert.ok(issues[0]!.startsWith(`${file}: invalid JSON at line 5, column 3: `), issues[0]);
    },
  );

  it('reports a file that does not exist and a folder', () => {
    const missing = path.join(dir, 'no-such-file.json');
    assert.deepEqual(issuesOf(missing), [`${missing}: file not found`]);
    const folder = path.join(dir, 'a-folder.json');
    mkdirSync(folder, { recursive: true });
    assert.deepEqual(issuesOf(folder), [`${folder}: is a folder, expected a .json file`]);
  });

  it('names the file as the user gave it', () => {
    const file = write({ ...base, format: 3, steps: [log()] });
    const relative = path.relative(process.cwd(), file);
    assert.deepEqual(issuesOf(relative), [`${relative}: format: expected 1, got 3`]);
  });

  it('reports several schema problems together', () => {
    const file = write({ ...base, format: 2, steps: [click([]), { kind: 'browser.clik' }, { ...fill('x'), vaule: 'y' }] });
    assert.deepEqual(issuesOf(file), [
      `${file}: format: expected 1, got 2`,
      `${file}: steps[0].target.candidates: expected at least one locator`,
      `${file}: steps[1].kind: unknown step kind "browser.clik" (did you mean "browser.click"?)`,
      `${file}: steps[2]: unknown field "vaule"`,
    ]);
  });
});

describe('loadAutomation: references', () => {
  it('reports an undeclared input', () => {
    const file = write({ ...base, inputs: [{ name: 'y', type: 'string' }], steps: [fill('{{inputs.x}}')] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: {{inputs.x}} refers to input "x", which is not declared in "inputs"`]);
  });

  it('reports an undeclared secret', () => {
    const file = write({ ...base, secrets: ['other'], steps: [fill('{{secrets.x}}')] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: {{secrets.x}} refers to secret "x", which is not declared in "secrets"`]);
  });

  it('accepts declared inputs and secrets, with spaces inside the braces', () => {
    const file = write({ ...base, inputs: [{ name: 'x', type: 'string' }], secrets: ['pw'], steps: [fill('{{ inputs.x }}/{{secrets.pw}}')] });
    assert.equal(loadAutomation(file).doc.steps.length, 1);
  });

  it('reports a variable used before any step sets it, and accepts it afterwards', () => {
    const file = write({ ...base, steps: [log('{{vars.x}}'), { kind: 'flow.set', var: 'x', value: 1 }, log('{{vars.x}}')] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: {{vars.x}} refers to variable "x", which no earlier step sets`]);
  });

  it('reports a variable a step uses to set itself', () => {
    const file = write({ ...base, steps: [{ kind: 'flow.set', var: 'x', value: '{{vars.x}}' }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: {{vars.x}} refers to variable "x", which no earlier step sets`]);
  });

  it('finds references in nested values such as locators', () => {
    const file = write({ ...base, steps: [click([{ role: 'link', name: 'Claim {{vars.claimNo}}' }])] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: {{vars.claimNo}} refers to variable "claimNo", which no earlier step sets`]);
  });

  it('accepts variables set by forEach as/indexAs, try errorAs, extract into, dialog saveMessageAs and call into', () => {
    write({ ...base, outputs: ['result'], steps: [{ kind: 'flow.set', var: 'result', value: 'ok' }] }, 'vars/child.json');
    const file = write(
      {
        ...base,
        steps: [
          { kind: 'flow.forEach', items: [{ claimNumber: 'C-1' }], as: 'row', indexAs: 'i', steps: [fill('{{vars.row.claimNumber}} #{{vars.i}}')] },
          { kind: 'flow.try', errorAs: 'problem', steps: [log()], catch: [log('{{vars.problem.message}}')], finally: [log('{{vars.problem.name}}')] },
          { kind: 'flow.try', steps: [log()], catch: [log('{{vars.error.message}}')] },
          { kind: 'browser.extract', target: { candidates: [{ css: 'h1' }] }, what: 'text', into: 'title' },
          log('{{vars.title}}'),
          { kind: 'browser.dialog', action: 'accept', saveMessageAs: 'dialogText' },
          log('{{vars.dialogText}}'),
          { kind: 'flow.call', automation: 'child.json', into: 'child' },
          log('{{vars.child.result}}'),
          { kind: 'flow.if', condition: { left: '{{vars.title}}', op: 'isEmpty' }, then: [{ kind: 'flow.set', var: 'late', value: 1 }] },
          log('{{vars.late}}'),
        ],
      },
      'vars/parent.json',
    );
    assert.equal(loadAutomation(file).doc.steps.length, 11);
  });

  it('does not let a forEach use its own item variable in items', () => {
    const file = write({ ...base, steps: [{ kind: 'flow.forEach', items: '{{vars.row}}', as: 'row', steps: [log()] }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: {{vars.row}} refers to variable "row", which no earlier step sets`]);
  });

  it('sets errorAs for catch only, not inside the try body', () => {
    const file = write({ ...base, steps: [{ kind: 'flow.try', errorAs: 'problem', steps: [log('{{vars.problem.message}}')], catch: [log()] }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0].steps[0]: {{vars.problem.message}} refers to variable "problem", which no earlier step sets`]);
  });

  it('does not set extract into before the extract step', () => {
    const file = write({ ...base, steps: [{ kind: 'browser.extract', target: { candidates: [{ css: '{{vars.t}}' }] }, what: 'text', into: 't' }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: {{vars.t}} refers to variable "t", which no earlier step sets`]);
  });

  it('reports malformed references and unknown run fields', () => {
    const file = write({ ...base, steps: [log('{{foo.bar}} {{vars}} {{run.nope}} {{run.id}}')] });
    assert.deepEqual(issuesOf(file), [
      `${file}: steps[0]: "{{foo.bar}}" starts with "foo"; expected one of inputs, vars, secrets, run`,
      `${file}: steps[0]: "{{vars}}" is not a reference; expected {{inputs.name}}, {{vars.name}}, {{secrets.name}} or {{run.id}}`,
      `${file}: steps[0]: {{run.nope}}: run has id, startedAt, dir and automationDir`,
    ]);
  });

  it('reports outputs naming a variable no step sets', () => {
    const file = write({ ...base, outputs: ['claimNumber', 'status'], steps: [{ kind: 'flow.set', var: 'claimNumber', value: 'C-1' }] });
    assert.deepEqual(issuesOf(file), [`${file}: outputs[1]: output "status" is not a variable any step sets`]);
  });

  it('reports an input that is both required and has a default', () => {
    const file = write({ ...base, inputs: [{ name: 'a', type: 'string', required: true, default: 'x' }], steps: [log()] });
    assert.deepEqual(issuesOf(file), [`${file}: inputs[0]: input "a" is required and has a default; keep one of the two`]);
  });

  it('reports several semantic problems together', () => {
    const file = write({
      ...base,
      outputs: ['missing'],
      steps: [fill('{{inputs.who}}'), log('{{secrets.pw}} {{vars.later}}'), { kind: 'flow.set', var: 'later', value: 1 }],
    });
    assert.deepEqual(issuesOf(file), [
      `${file}: steps[0]: {{inputs.who}} refers to input "who", which is not declared in "inputs"`,
      `${file}: steps[1]: {{secrets.pw}} refers to secret "pw", which is not declared in "secrets"`,
      `${file}: steps[1]: {{vars.later}} refers to variable "later", which no earlier step sets`,
      `${file}: outputs[0]: output "missing" is not a variable any step sets`,
    ]);
  });
});

describe('loadAutomation: flow.call', () => {
  const child = {
    ...base,
    inputs: [
      { name: 'need', type: 'string', required: true },
      { name: 'opt', type: 'string' },
    ],
    secrets: ['childSecret'],
    outputs: ['res'],
    steps: [{ kind: 'flow.set', var: 'res', value: '{{inputs.need}}' }],
  };

  it('reports a call to a missing file on the calling step', () => {
    const file = write({ ...base, steps: [log(), { kind: 'flow.call', automation: 'missing.json' }] });
    assert.deepEqual(issuesOf(file), [`${file}: steps[1].automation: missing.json: file not found`]);
  });

  it('reports an input the child does not declare and a required input not passed', () => {
    write(child, 'call1/child.json');
    const file = write({ ...base, steps: [{ kind: 'flow.call', automation: 'child.json', inputs: { nedd: 'x' } }] }, 'call1/parent.json');
    assert.deepEqual(issuesOf(file), [
      `${file}: steps[0].inputs.nedd: child.json has no input "nedd" (it declares: need, opt)`,
      `${file}: steps[0].inputs: child.json requires input "need"`,
    ]);
  });

  it('says when the child declares no inputs', () => {
    write({ ...base, steps: [log()] }, 'call2/child.json');
    const file = write({ ...base, steps: [{ kind: 'flow.call', automation: 'child.json', inputs: { x: 1 } }] }, 'call2/parent.json');
    assert.deepEqual(issuesOf(file), [`${file}: steps[0].inputs.x: child.json has no input "x" (it declares: none)`]);
  });

  it('checks references in the passed inputs against the caller', () => {
    write(child, 'call3/child.json');
    const file = write({ ...base, steps: [{ kind: 'flow.call', automation: 'child.json', inputs: { need: '{{inputs.nope}}' } }] }, 'call3/parent.json');
    assert.deepEqual(issuesOf(file), [`${file}: steps[0]: {{inputs.nope}} refers to input "nope", which is not declared in "inputs"`]);
  });

  it('loads a valid call, records the child and collects its secrets', () => {
    const childFile = write(child, 'call4/sub/child.json');
    const file = write(
      { ...base, secrets: ['own'], steps: [{ kind: 'flow.call', automation: 'sub/child.json', inputs: { need: 'x' }, into: 'out' }, log('{{vars.out.res}}')] },
      'call4/parent.json',
    );
    const loaded = loadAutomation(file);
    assert.deepEqual([...loaded.called.keys()], [childFile]);
    assert.deepEqual([...requiredSecrets(loaded)].sort(), ['childSecret', 'own']);
  });

  it("reports problems inside the child against the child's file", () => {
    write({ ...base, steps: [] }, 'call5/sub/bad.json');
    const file = write({ ...base, steps: [{ kind: 'flow.call', automation: 'sub/bad.json' }] }, 'call5/parent.json');
    assert.deepEqual(issuesOf(file), [`${path.join(dir, 'call5', 'sub', 'bad.json')}: steps: expected at least one step`]);
  });

  it('reports a call cycle a → b → a', () => {
    write({ ...base, steps: [{ kind: 'flow.call', automation: 'b.json' }] }, 'cycle/a.json');
    const b = write({ ...base, steps: [log(), { kind: 'flow.call', automation: 'a.json' }] }, 'cycle/b.json');
    assert.deepEqual(issuesOf(path.join(dir, 'cycle', 'a.json')), [
      `${b}: steps[1].automation: calls a.json, which is already being called (a cycle: a.json → b.json → a.json)`,
    ]);
  });

  it('reports an automation that calls itself', () => {
    const file = write({ ...base, steps: [{ kind: 'flow.call', automation: 'self.json' }] }, 'cycle/self.json');
    assert.deepEqual(issuesOf(file), [`${file}: steps[0].automation: calls self.json, which is already being called (a cycle: self.json → self.json)`]);
  });
});

describe('loadAutomation: the shipped examples', () => {
  const examples = path.join(repoRoot(), 'automations', 'examples');

  it('loads every example without issues', () => {
    const files = readdirSync(examples).filter((name) => name.endsWith('.json')).sort();
    assert.deepEqual(files, [
      'add-note-with-recovery.json',
      'claim-statuses.json',
      'claims-report.json',
      'enqueue-claims.json',
      'file-a-claim.json',
      'invoice-intake.json',
      'login.json',
      'review-claim-item.json',
    ]);
    const noBrowser = new Set(['enqueue-claims.json', 'review-claim-item.json']);
    for (const name of files) {
      const loaded = loadAutomation(path.join(examples, name));
      assert.match(loaded.sha256, /^[0-9a-f]{64}$/);
      assert.deepEqual([...requiredSecrets(loaded)], noBrowser.has(name) ? [] : ['portalPassword'], name);
    }
  });

  it('resolves the login automation the others call', () => {
    const loaded = loadAutomation(path.join(examples, 'claim-statuses.json'));
    assert.deepEqual([...loaded.called.keys()], [path.join(examples, 'login.json')]);
  });
});

describe('formatJsonPath', () => {
  it('writes indexes in brackets and names with dots', () => {
    assert.equal(formatJsonPath(['steps', 3, 'target', 'candidates']), 'steps[3].target.candidates');
    assert.equal(formatJsonPath([]), '');
    assert.equal(formatJsonPath([0, 'kind']), '[0].kind');
  });
});

describe('nesting depth', () => {
  /** An automation whose one step sits inside `levels` flow.if / flow.forEach / flow.try, written as text (JSON.stringify itself overflows at these depths). */
  function nested(levels: number, kinds = ['flow.if']): string {
    let open = '';
    let close = '';
    for (let i = 0; i < levels; i++) {
      const kind = kinds[i % kinds.length];
      if (kind === 'flow.if') open += '{"kind":"flow.if","condition":{"left":1,"op":"equals","right":1},"then":[';
      else if (kind === 'flow.forEach') open += '{"kind":"flow.forEach","items":[1],"as":"x' + i + '","steps":[';
      else open += '{"kind":"flow.try","steps":[{"kind":"log","message":"t"}],"catch":[';
      close += ']}';
    }
    return `{"format":1,"id":"deep","name":"Deep","version":"1.0.0","steps":[${open}{"kind":"log","message":"innermost"}${close}]}`;
  }

  it('accepts steps 64 levels deep', () => {
    const loaded = loadAutomation(write(nested(63)));
    assert.equal(loaded.doc.steps.length, 1);
  });

  it('refuses 65 levels (and 3,000) with the JSON path of the too-deep step and what to do, without overflowing the stack', () => {
    const tooDeep = issuesOf(write(nested(64, ['flow.if', 'flow.forEach', 'flow.try'])));
    assert.equal(tooDeep.length, 1);
    assert.match(tooDeep[0]!, /: steps\[0\]\.then\[0\]\.steps\[0\]\.catch\[0\]\.then\[0\]/);
    assert.match(tooDeep[0]!, /\.then\[0\]: this step is nested 65 levels deep .* at most 64 levels are allowed\. Flatten the conditions, or move the inner steps into their own automation and run it with flow\.call$/);
    assert.equal(tooDeep[0]!.split('[0]').length - 1, 65, 'the path names the 65th level');
    const huge = issuesOf(write(nested(3000)));
    assert.equal(huge.length, 1);
    assert.match(huge[0]!, /nested 65 levels deep/);
  });

  it('refuses a value nested deeper than any automation needs, naming where', () => {
    const depth = 100_000;
    const file = write(`{"format":1,"id":"deep","name":"Deep","version":"1.0.0","steps":[{"kind":"flow.set","var":"x","value":${'['.repeat(depth)}${']'.repeat(depth)}}]}`);
    const issues = issuesOf(file);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!, /: steps\[0\]\.value(\[0\])+: nested more than 512 levels deep/);
  });
});
