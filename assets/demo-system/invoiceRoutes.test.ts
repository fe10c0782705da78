// Accounts payable → Enter invoice over plain HTTP: the menu link, the form, what the server
// refuses (and keeps what was typed), the duplicate check, the confirmation, the list, reset.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { DemoClient } from './demoClient.js';
import { startDemoSystem, type DemoSystem } from './server.js';

const GOOD = { vendor: 'Harbor Freight Logistics', invoiceNumber: 'inv-210457', invoiceDate: '2023-06-23', dueDate: '2023-07-07', total: '10934.27', currency: 'USD' };

/** The error lines shown above the form. */
function errorsOf(html: string): string[] {
  const $ = cheerio.load(html);
  return $('table[bgcolor="#FFEEEE"] b').toArray().map((el) => $(el).text());
}

/** Values of the form's text fields, by name. */
function valuesOf(html: string): Record<string, string> {
  const $ = cheerio.load(html);
  return Object.fromEntries($('form[name=frmInvoice] input[type=text]').toArray().map((el) => [el.attribs['name'] ?? '', el.attribs['value'] ?? '']));
}

describe('demo system: accounts payable invoices', () => {
  let demo: DemoSystem;
  let client: DemoClient;
  before(async () => {
    demo = await startDemoSystem({ port: 0, slowMs: 0 });
  });
  after(() => demo.close());
  beforeEach(async () => {
    demo.reset();
    client = new DemoClient(demo.url);
    await client.login();
  });

  it('needs a session; the main menu links to Enter invoice and the list', async () => {
    assert.equal((await new DemoClient(demo.url).get('/invoices/new')).location, '/login?expired=1');
    const $ = cheerio.load((await client.get('/menu')).text);
    assert.equal($('a:contains("Enter invoice")').attr('href'), '/invoices/new');
    assert.equal($('a:contains("Invoice list")').attr('href'), '/invoices');
    const form = cheerio.load((await client.get('/invoices/new')).text);
    assert.deepEqual(
      form('label').toArray().map((el) => form(el).text()),
      ['Vendor name:', 'Invoice number:', 'Invoice date:', 'Due date:', 'Invoice total:', 'Currency:'],
    );
    assert.ok(form('label').toArray().every((el) => form(`#${el.attribs['for']}`).length === 1), 'labels point at their fields');
    assert.equal(form('select[name=currency] option[selected]').attr('value'), 'USD');
    assert.equal(form('input[type=submit]').attr('value'), 'Save invoice');
  });

  it('saves a good invoice: confirmation with the AP document number, stored, listed', async () => {
    const saved = await client.post('/invoices/new', GOOD);
    assert.equal(saved.status, 200);
    assert.match(saved.text, /Invoice entered\./);
    assert.equal(cheerio.load(saved.text)('span.ap-doc-no').text(), 'AP-2004-000001');
    assert.deepEqual(
      demo.state.invoices.map(({ enteredAt, ...rest }) => (assert.match(enteredAt, /^\d{4}-\d{2}-\d{2}T/), rest)),
      [{ document: 'AP-2004-000001', vendor: 'Harbor Freight Logistics', invoiceNumber: 'INV-210457', invoiceDate: '2023-06-23', dueDate: '2023-07-07', total: 10934.27, currency: 'USD', enteredBy: 'clerk' }],
    );
    const second = await client.post('/invoices/new', { ...GOOD, vendor: '  Greenfield   Catering ', invoiceNumber: 'INV-138216', total: '93.5', currency: 'EUR' });
    assert.equal(cheerio.load(second.text)('span.ap-doc-no').text(), 'AP-2004-000002');
    assert.equal(demo.state.invoices[1]!.vendor, 'Greenfield Catering');
    assert.equal(demo.state.invoices[1]!.total, 93.5);

    const $ = cheerio.load((await client.get('/invoices')).text);
    const rows = $('table[bordercolor="#999999"] tr').toArray().slice(1).map((tr) => $(tr).find('td').toArray().map((td) => $(td).text()));
    assert.deepEqual(rows, [
      ['AP-2004-000001', 'Harbor Freight Logistics', 'INV-210457', '2023-06-23', '2023-07-07', '10,934.27', 'USD', 'clerk'],
      ['AP-2004-000002', 'Greenfield Catering', 'INV-138216', '2023-06-23', '2023-07-07', '93.50', 'EUR', 'clerk'],
    ]);
  });

  it('refuses a duplicate invoice number with a message naming the first entry', async () => {
    await client.post('/invoices/new', GOOD);
    const again = await client.post('/invoices/new', { ...GOOD, invoiceNumber: 'INV-210457 ', total: '1.00' });
    assert.deepEqual(errorsOf(again.text), ['Invoice number INV-210457 was already entered as AP-2004-000001 (Harbor Freight Logistics). Duplicate invoices are not accepted.']);
    assert.equal(demo.state.invoices.length, 1);
  });

  it('validates like the old system and keeps what was typed', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ ...GOOD, vendor: '' }, ['All fields are required.']],
      [{ ...GOOD, total: '   ' }, ['All fields are required.']],
      [{ ...GOOD, invoiceDate: '06/23/2023' }, ['Invoice date must be a valid date in the form YYYY-MM-DD.']],
      [{ ...GOOD, dueDate: '2023-02-30' }, ['Due date must be a valid date in the form YYYY-MM-DD.']],
      [{ ...GOOD, dueDate: '2023-06-01' }, ['Due date cannot be before the invoice date.']],
      [{ ...GOOD, total: '$10,934.27' }, ['Invoice total must be an amount like 1234.56 (no currency sign, no thousands separators).']],
      [{ ...GOOD, total: '0' }, ['Invoice total must be an amount like 1234.56 (no currency sign, no thousands separators).']],
      [{ ...GOOD, currency: 'XYZ' }, ['Please choose a currency.']],
      [{ ...GOOD, vendor: 'V'.repeat(61), invoiceNumber: 'N'.repeat(21) }, ['Vendor name is too long (at most 60 characters).', 'Invoice number is too long (at most 20 characters).']],
    ];
    for (const [form, expected] of cases) {
      const page = await client.post('/invoices/new', form);
      assert.equal(page.status, 200);
      assert.deepEqual(errorsOf(page.text), expected, JSON.stringify(form));
      assert.equal(valuesOf(page.text)['invoiceDate'], form['invoiceDate']!.trim(), 'the typed values come back');
    }
    assert.equal(demo.state.invoices.length, 0, 'nothing saved');
    const html = (await client.post('/invoices/new', { ...GOOD, vendor: '<script>x</script>', dueDate: '' })).text;
    assert.ok(html.includes('value="&lt;script&gt;x&lt;/script&gt;"'), 'typed values are escaped');
  });

  it('an empty list says so; reset forgets the invoices', async () => {
    assert.match((await client.get('/invoices')).text, /No invoices entered yet\./);
    await client.post('/invoices/new', GOOD);
    demo.reset();
    assert.deepEqual(demo.state.invoices, []);
  });
});
