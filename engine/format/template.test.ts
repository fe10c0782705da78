import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findReferences, parseReference, renderText, renderValue, TemplateError, type TemplateScope } from './template.js';

function scope(overrides: Partial<TemplateScope> = {}): TemplateScope {
  return {
    inputs: {},
    vars: {},
    run: {},
    secret: (name) => {
      throw new Error(`no secret ${name} in this test`);
    },
    ...overrides,
  };
}

function templateError(message: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof TemplateError, `expected TemplateError, got ${String(error)}`);
    assert.equal(error.name, 'TemplateError');
    assert.equal(error.message, message);
    return true;
  };
}

describe('renderValue', () => {
  it('keeps the type of a lone reference: a list stays a list', () => {
    const list = [{ claimNumber: 'C-1' }, { claimNumber: 'C-2' }];
    const rendered = renderValue('{{vars.rows}}', scope({ vars: { rows: list } }));
    assert.ok(Array.isArray(rendered));
    assert.equal(rendered, list);
    assert.equal(renderValue('{{ inputs.count }}', scope({ inputs: { count: 3 } })), 3);
    assert.equal(renderValue('{{inputs.flag}}', scope({ inputs: { flag: false } })), false);
    assert.equal(renderValue('{{vars.none}}', scope({ vars: { none: null } })), null);
  });

  it('turns a reference with text around it into text', () => {
    assert.equal(renderValue('n={{inputs.count}}', scope({ inputs: { count: 3 } })), 'n=3');
    assert.equal(renderValue(' {{vars.rows}}', scope({ vars: { rows: [1, 2] } })), ' [1,2]');
    assert.equal(renderValue('{{inputs.a}}{{inputs.b}}', scope({ inputs: { a: 1, b: 2 } })), '12');
  });

  it('renders strings inside objects and lists and leaves other values alone', () => {
    const value = { url: '{{inputs.base}}/claims', list: ['{{vars.n}}', 7, true, null], nested: { keep: 1.5 } };
    assert.deepEqual(renderValue(value, scope({ inputs: { base: 'http://x' }, vars: { n: 2 } })), {
      url: 'http://x/claims',
      list: [2, 7, true, null],
      nested: { keep: 1.5 },
    });
  });
});

describe('renderText', () => {
  it('interpolates inputs, vars and run values', () => {
    const rendered = renderText('Claim {{inputs.claimNo}} is {{ vars.status }} (run {{run.id}})', scope({ inputs: { claimNo: 'C-7' }, vars: { status: 'OPEN' }, run: { id: 'r1' } }));
    assert.equal(rendered, 'Claim C-7 is OPEN (run r1)');
  });

  it('writes numbers and booleans as text, nothing for null/undefined, JSON for objects', () => {
    const vars = { n: 0, yes: true, nothing: null, gone: undefined, obj: { a: 1 } };
    assert.equal(renderText('{{vars.n}}|{{vars.yes}}|{{vars.nothing}}|{{vars.gone}}|{{vars.obj}}', scope({ vars })), '0|true|||{"a":1}');
  });

  it('returns text without references unchanged', () => {
    assert.equal(renderText('plain { text } here', scope()), 'plain { text } here');
  });

  it('follows nested paths such as vars.row.claimNumber and list indexes', () => {
    const vars = { row: { claimNumber: 'CLM-2026-000123', owner: { name: 'Dana' } }, rows: [{ id: 'a' }, { id: 'b' }] };
    assert.equal(renderText('{{vars.row.claimNumber}} by {{vars.row.owner.name}}; second {{vars.rows.1.id}}', scope({ vars })), 'CLM-2026-000123 by Dana; second b');
    assert.equal(renderValue('{{vars.row.owner}}', scope({ vars })), vars.row.owner);
  });

  it('says which variable is not set', () => {
    assert.throws(() => renderText('x {{vars.nope}}', scope()), templateError('{{vars.nope}}: variable "nope" is not set at this point of the run'));
    assert.throws(() => renderValue('{{vars.row.claimNumber}}', scope()), templateError('{{vars.row.claimNumber}}: variable "row" is not set at this point of the run'));
  });

  it('says what it cannot read a field of', () => {
    assert.throws(() => renderText('{{vars.row.a.b}}', scope({ vars: { row: { a: null } } })), templateError('{{vars.row.a.b}}: cannot read "b" of null'));
    assert.throws(() => renderText('{{vars.s.x}}', scope({ vars: { s: 'text' } })), templateError('{{vars.s.x}}: cannot read "x" of string'));
    assert.throws(() => renderText('{{vars.row.a.b}}', scope({ vars: { row: {} } })), templateError('{{vars.row.a.b}}: cannot read "b" of undefined'));
  });

  it('resolves secrets through scope.secret, only when a template uses them', () => {
    const asked: string[] = [];
    const withSecret = scope({
      secret: (name) => {
        asked.push(name);
        return `value-of-${name}`;
      },
    });
    assert.equal(renderText('no secrets here {{run.id}}', { ...withSecret, run: { id: 'r' } }), 'no secrets here r');
    assert.deepEqual(asked, []);
    assert.equal(renderText('pw={{secrets.portalPassword}}', withSecret), 'pw=value-of-portalPassword');
    assert.equal(renderValue('{{secrets.other}}', withSecret), 'value-of-other');
    assert.deepEqual(asked, ['portalPassword', 'other']);
  });

  it('refuses fields of a secret', () => {
    assert.throws(() => renderText('{{secrets.pw.length}}', scope({ secret: () => 'x' })), templateError('{{secrets.pw.length}}: a secret has no fields'));
  });

  it('refuses a bad root and an expression that is not a reference', () => {
    assert.throws(() => renderText('{{foo.bar}}', scope()), templateError('"{{foo.bar}}" starts with "foo"; expected one of inputs, vars, secrets, run'));
    assert.throws(() => renderValue('{{vars}}', scope()), templateError('"{{vars}}" is not a reference; expected {{inputs.name}}, {{vars.name}}, {{secrets.name}} or {{run.id}}'));
    assert.throws(() => renderText('{{inputs.a-b}}', scope()), TemplateError);
  });
});

describe('findReferences and parseReference', () => {
  it('finds every reference in nested strings', () => {
    const found = findReferences({ a: 'x {{inputs.claimNo}} {{ vars.row.claimNumber }}', b: ['{{secrets.pw}}', 3, { c: '{{bad}}' }] });
    assert.deepEqual(found, [
      { expression: 'inputs.claimNo', root: 'inputs', name: 'claimNo', rest: [] },
      { expression: 'vars.row.claimNumber', root: 'vars', name: 'row', rest: ['claimNumber'] },
      { expression: 'secrets.pw', root: 'secrets', name: 'pw', rest: [] },
      { error: '"{{bad}}" is not a reference; expected {{inputs.name}}, {{vars.name}}, {{secrets.name}} or {{run.id}}' },
    ]);
    assert.deepEqual(findReferences(42), []);
  });

  it('splits an expression into root, name and rest', () => {
    assert.deepEqual(parseReference('vars.rows.0.id'), { expression: 'vars.rows.0.id', root: 'vars', name: 'rows', rest: ['0', 'id'] });
    assert.ok('error' in parseReference('1vars.x'));
    assert.ok('error' in parseReference('vars.'));
  });
});
