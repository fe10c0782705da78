import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { DemoClient } from './demoClient.js';
import { MUTATION_KINDS, type MutationKind } from './mutations.js';
import { startDemoSystem, type DemoSystem } from './server.js';

/** Pages with forms, labels, links, the iframe page and a result page with the claim-no class. */
async function pagesOf(demo: DemoSystem): Promise<Record<string, string>> {
  const client = new DemoClient(demo.url);
  const pages: Record<string, string> = { login: (await client.get('/login')).text };
  await client.login();
  pages['menu'] = (await client.get('/menu')).text;
  await client.get('/claims/new');
  pages['step1'] = (await client.get('/claims/new/step1')).text;
  await client.post('/claims/new/step1', { policy: 'POL-10001', claimant: 'A B', incidentDate: '2024-01-02', claimType: 'auto' });
  pages['step2'] = (await client.get('/claims/new/step2')).text;
  pages['claim'] = (await client.get('/claims/CLM-2004-000001')).text;
  pages['notes'] = (await client.get('/legacy/notes?claim=CLM-2004-000001')).text;
  pages['search'] = (await client.get('/claims/search?q=CLM-2004-0000')).text;
  return pages;
}

/** What a browser would post: per form its action, method, encoding and fields (order-free). */
function formSignature(html: string): string[] {
  const $ = cheerio.load(html);
  return $('form')
    .toArray()
    .map((form) => {
      const fields = $(form)
        .find('input, select, textarea, button')
        .toArray()
        .map((el) => {
          const $el = $(el);
          const type = $el.attr('type') ?? el.tagName;
          const value = ['radio', 'checkbox', 'submit'].includes(type) || el.tagName === 'button' ? $el.attr('value') ?? '' : '';
          const options = $el.find('option').toArray().map((o) => $(o).attr('value')).join('|');
          return `${el.tagName}:${type}:${$el.attr('name') ?? ''}=${value}${options ? `[${options}]` : ''}`;
        })
        .sort();
      return `${$(form).attr('action') ?? ''} ${$(form).attr('method') ?? ''} ${$(form).attr('enctype') ?? ''} ${fields.join(',')}`;
    })
    .sort();
}

function texts(html: string, selector: string): string[] {
  const $ = cheerio.load(html);
  return $(selector).toArray().map((el) => $(el).text().trim());
}

/** Every <label for> points at an element of the page. */
function labelsResolve(html: string): boolean {
  const $ = cheerio.load(html);
  return $('label[for]').toArray().every((label) => $(`[id="${$(label).attr('for')}"]`).length === 1);
}

describe('demo system markup mutations', () => {
  let plain: DemoSystem;
  let original: Record<string, string>;
  const mutated = new Map<MutationKind, Record<string, string>>();

  before(async () => {
    plain = await startDemoSystem({ port: 0, slowMs: 0 });
    original = await pagesOf(plain);
    for (const kind of MUTATION_KINDS) {
      const demo = await startDemoSystem({ port: 0, slowMs: 0, mutation: kind });
      try {
        mutated.set(kind, await pagesOf(demo));
      } finally {
        await demo.close();
      }
    }
  });
  after(() => plain.close());

  for (const kind of MUTATION_KINDS) {
    it(`${kind}: every form posts the same fields to the same place and every label still points at its field`, () => {
      for (const [name, html] of Object.entries(mutated.get(kind)!)) {
        assert.notEqual(html, original[name], `${kind} changed nothing on ${name}`);
        assert.deepEqual(formSignature(html), formSignature(original[name]!), `${kind} changed the forms of ${name}`);
        assert.ok(labelsResolve(html), `${kind} broke a label on ${name}`);
        if (kind !== 'label') assert.deepEqual(texts(html, 'label, a, button').sort(), texts(original[name]!, 'label, a, button').sort(), `${kind} changed what labels, links or buttons say on ${name}`);
      }
    });
  }

  it('ids: regenerated in another pattern', () => {
    const step1 = mutated.get('ids')!['step1']!;
    const ids = cheerio.load(step1)('[id]').toArray().map((el) => el.attribs['id']!);
    assert.ok(ids.length >= 5);
    assert.ok(ids.every((id) => id.startsWith('ctl00_body_')), ids.join(' '));
  });

  it('classes: renamed and decoys added in reverse order', () => {
    const $ = cheerio.load(mutated.get('classes')!['search']!);
    assert.equal($('.claim-no').length, 0);
    assert.ok($('input').toArray().every((el) => el.attribs['class'] === 'skin-classic ui-input'));
  });

  it('wrappers: fields and links sit in new spans, forms and tables in new divs', () => {
    const $ = cheerio.load(mutated.get('wrappers')!['step1']!);
    assert.ok($('input:not([type=hidden]), select, a').toArray().every((el) => $(el).parent().is('span.field-wrap')));
    assert.ok($('form').parent().is('div.panel'));
  });

  it('order: form rows and menu links swap places', () => {
    assert.deepEqual(texts(original['step1']!, 'label'), ['Policy number:', 'Claimant name:', 'Incident date:', 'Claim type:']);
    assert.deepEqual(texts(mutated.get('order')!['step1']!, 'label'), ['Claim type:', 'Incident date:', 'Claimant name:', 'Policy number:']);
    assert.deepEqual(texts(mutated.get('order')!['login']!, 'label'), ['Password:', 'User name:']);
    assert.deepEqual(texts(mutated.get('order')!['menu']!, 'a b'), ['Sign out', 'Reports', 'Claims list', 'Search claims', 'New claim']);
  });

  it('text: small print changes and a notice appears; headings stay', () => {
    const html = mutated.get('text')!['menu']!;
    assert.match(html, /NORTHEAST BRANCHES/);
    assert.match(html, /Notice: this system moves/);
    assert.deepEqual(texts(html, 'h2'), texts(original['menu']!, 'h2'));
  });

  it('layout: a banner above everything and margins around the content', () => {
    const $ = cheerio.load(mutated.get('layout')!['step1']!);
    assert.match($('body > div').first().attr('style') ?? '', /height: 140px/);
    assert.ok($('body > table').toArray().every((el) => /margin/.test(el.attribs['style'] ?? '')));
  });

  it('label: labels reworded slightly', () => {
    assert.deepEqual(texts(mutated.get('label')!['step1']!, 'label'), ['Policy no.:', 'Name of claimant:', 'Date of incident:', 'Type of claim:']);
  });
});
