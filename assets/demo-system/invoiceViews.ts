// Pages of "Accounts payable": the Enter invoice form, its confirmation and the invoice list.
import { button, errorText, escapeHtml, font, heading, labelCell, layout, textRow } from './html.js';
import type { IdGen } from './html.js';
import type { ApInvoice } from './state.js';

export const CURRENCIES: Readonly<Record<string, string>> = { USD: 'USD - US dollar', EUR: 'EUR - Euro', GBP: 'GBP - Pound sterling' };

/** What the clerk typed, kept when the form comes back with errors. */
export interface InvoiceForm {
  vendor: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  total: string;
  currency: string;
}

export const EMPTY_FORM: InvoiceForm = { vendor: '', invoiceNumber: '', invoiceDate: '', dueDate: '', total: '', currency: 'USD' };

function hint(row: string, text: string): string {
  return row.replace('</td></tr>', ` ${font(text, 1, '#666666')}</td></tr>`);
}

export function formatAmount(total: number): string {
  return total.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function enterInvoicePage(ids: IdGen, user: string, form: InvoiceForm, errors: readonly string[]): string {
  const selectId = ids.next();
  const options = Object.entries(CURRENCIES)
    .map(([code, label]) => `<option value="${code}"${form.currency === code ? ' selected' : ''}>${escapeHtml(label)}</option>`)
    .join('');
  const body = `
${heading('Accounts payable — Enter invoice')}
${font('Key the invoice exactly as printed. Dates as YYYY-MM-DD, amounts without currency sign or thousands separators.', 1, '#666666')}<br><br>
${errorText(errors)}
<form name="frmInvoice" method="post" action="/invoices/new">
<table border="0" cellpadding="4" cellspacing="0" bgcolor="#F0F4FA">
${textRow(ids, 'Vendor name:', 'vendor', form.vendor, 40)}
${hint(textRow(ids, 'Invoice number:', 'invoiceNumber', form.invoiceNumber, 20), '(as printed, e.g. INV-123456)')}
${hint(textRow(ids, 'Invoice date:', 'invoiceDate', form.invoiceDate, 12), '(YYYY-MM-DD)')}
${hint(textRow(ids, 'Due date:', 'dueDate', form.dueDate, 12), '(YYYY-MM-DD)')}
${hint(textRow(ids, 'Invoice total:', 'total', form.total, 14), '(e.g. 1234.56)')}
<tr>${labelCell(selectId, 'Currency:')}<td><select id="${selectId}" name="currency">${options}</select></td></tr>
<tr><td></td><td><br>${button(ids, 'Save invoice')}</td></tr>
</table>
</form>`;
  return layout({ title: 'Enter invoice', body, user, onload: 'document.forms[0].vendor.focus();' });
}

function summaryTable(inv: ApInvoice): string {
  const rows: [string, string][] = [
    ['Vendor:', escapeHtml(inv.vendor)],
    ['Invoice number:', escapeHtml(inv.invoiceNumber)],
    ['Invoice date:', escapeHtml(inv.invoiceDate)],
    ['Due date:', escapeHtml(inv.dueDate)],
    ['Invoice total:', `${formatAmount(inv.total)} ${escapeHtml(inv.currency)}`],
  ];
  return `<table border="1" cellpadding="4" cellspacing="0" bordercolor="#999999">${rows
    .map(([label, value], i) => `<tr bgcolor="${i % 2 === 0 ? '#FFFFFF' : '#EEF2F8'}"><td>${font(label)}</td><td>${font(value)}</td></tr>`)
    .join('')}</table>`;
}

export function invoiceEnteredPage(user: string, inv: ApInvoice): string {
  const body = `
${heading('Invoice entered')}
${font('<b>Invoice entered.</b>', 2, '#006600')}<br><br>
${font(`AP document number: <span class="ap-doc-no">${escapeHtml(inv.document)}</span>`)}<br><br>
${summaryTable(inv)}
<br>
${font('<a href="/invoices/new">Enter another invoice</a> &nbsp;|&nbsp; <a href="/invoices">Invoice list</a> &nbsp;|&nbsp; <a href="/menu">Back to menu</a>')}`;
  return layout({ title: 'Invoice entered', body, user });
}

export function invoiceListPage(user: string, invoices: readonly ApInvoice[]): string {
  const head = ['AP document', 'Vendor', 'Invoice number', 'Invoice date', 'Due date', 'Total', 'Currency', 'Entered by']
    .map((h) => `<th align="left" nowrap>${font(h, 2, '#FFFFFF')}</th>`)
    .join('');
  const rows = invoices.map((inv, i) => {
    const cells = [inv.document, inv.vendor, inv.invoiceNumber, inv.invoiceDate, inv.dueDate, formatAmount(inv.total), inv.currency, inv.enteredBy];
    return `<tr bgcolor="${i % 2 === 0 ? '#FFFFFF' : '#EEF2F8'}">${cells.map((v, c) => `<td nowrap${c === 5 ? ' align="right"' : ''}>${font(escapeHtml(v))}</td>`).join('')}</tr>`;
  });
  const table = invoices.length
    ? `<table border="1" cellpadding="4" cellspacing="0" bordercolor="#999999" width="100%">
<tr bgcolor="#003366">${head}</tr>
${rows.join('\n')}
</table>`
    : font('<b>No invoices entered yet.</b>');
  const body = `
${heading('Invoice list')}
${font(`${invoices.length} invoice${invoices.length === 1 ? '' : 's'} entered (oldest first).`, 1, '#666666')}<br><br>
${table}
<br>
${font('<a href="/invoices/new">Enter invoice</a> &nbsp;|&nbsp; <a href="/menu">Back to menu</a>')}`;
  return layout({ title: 'Invoice list', body, user });
}
