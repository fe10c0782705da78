// Accounts payable → Enter invoice: a form checked on the server the way an old system did it
// (required fields, date format, due date not before invoice date, plain amounts, a duplicate
// invoice number refused with a message), the confirmation with the AP document number, and
// the invoice list. Entered invoices are kept in `state.invoices`.
import { readForm, sendHtml } from './http.js';
import { authRoute } from './router.js';
import type { AuthCtx, Route } from './router.js';
import type { ApInvoice, DemoState } from './state.js';
import { CURRENCIES, EMPTY_FORM, enterInvoicePage, invoiceEnteredPage, invoiceListPage, type InvoiceForm } from './invoiceViews.js';

const DOCUMENT_PREFIX = 'AP-2004-';
const MAX_VENDOR = 60;
const MAX_INVOICE_NUMBER = 20;

function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The AP document number the next invoice gets: one past the highest. */
function nextDocument(state: DemoState): string {
  const max = state.invoices.reduce((m, inv) => Math.max(m, Number(inv.document.slice(DOCUMENT_PREFIX.length)) || 0), 0);
  return DOCUMENT_PREFIX + String(max + 1).padStart(6, '0');
}

/** Problems with the form, in the order the old system reported them; empty when it can be saved. */
export function checkInvoice(form: InvoiceForm, state: DemoState): string[] {
  const { vendor, invoiceNumber, invoiceDate, dueDate, total, currency } = form;
  if (![vendor, invoiceNumber, invoiceDate, dueDate, total].every(Boolean)) return ['All fields are required.'];
  const errors: string[] = [];
  if (vendor.length > MAX_VENDOR) errors.push(`Vendor name is too long (at most ${MAX_VENDOR} characters).`);
  if (invoiceNumber.length > MAX_INVOICE_NUMBER) errors.push(`Invoice number is too long (at most ${MAX_INVOICE_NUMBER} characters).`);
  if (!isDate(invoiceDate)) errors.push('Invoice date must be a valid date in the form YYYY-MM-DD.');
  if (!isDate(dueDate)) errors.push('Due date must be a valid date in the form YYYY-MM-DD.');
  else if (isDate(invoiceDate) && dueDate < invoiceDate) errors.push('Due date cannot be before the invoice date.');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(total) || Number(total) <= 0) errors.push('Invoice total must be an amount like 1234.56 (no currency sign, no thousands separators).');
  if (!Object.hasOwn(CURRENCIES, currency)) errors.push('Please choose a currency.');
  const duplicate = state.invoices.find((inv) => inv.invoiceNumber === invoiceNumber);
  if (duplicate) errors.push(`Invoice number ${invoiceNumber} was already entered as ${duplicate.document} (${duplicate.vendor}). Duplicate invoices are not accepted.`);
  return errors;
}

function showForm(ctx: AuthCtx): void {
  sendHtml(ctx.res, 200, enterInvoicePage(ctx.ids, ctx.session.user, EMPTY_FORM, []));
}

async function saveInvoice(ctx: AuthCtx): Promise<void> {
  const { fields } = await readForm(ctx.req);
  const text = (name: keyof InvoiceForm): string => (fields[name] ?? '').replace(/\s+/g, ' ').trim();
  const form: InvoiceForm = {
    vendor: text('vendor'),
    invoiceNumber: text('invoiceNumber').toUpperCase(),
    invoiceDate: text('invoiceDate'),
    dueDate: text('dueDate'),
    total: text('total'),
    currency: text('currency'),
  };
  const errors = checkInvoice(form, ctx.state);
  if (errors.length) {
    sendHtml(ctx.res, 200, enterInvoicePage(ctx.ids, ctx.session.user, form, errors));
    return;
  }
  const invoice: ApInvoice = {
    document: nextDocument(ctx.state),
    vendor: form.vendor,
    invoiceNumber: form.invoiceNumber,
    invoiceDate: form.invoiceDate,
    dueDate: form.dueDate,
    total: Number(form.total),
    currency: form.currency,
    enteredBy: ctx.session.user,
    enteredAt: new Date().toISOString(),
  };
  ctx.state.invoices.push(invoice);
  sendHtml(ctx.res, 200, invoiceEnteredPage(ctx.session.user, invoice));
}

export const invoiceRoutes: Route[] = [
  authRoute('GET', /^\/invoices$/, (ctx) => sendHtml(ctx.res, 200, invoiceListPage(ctx.session.user, ctx.state.invoices))),
  authRoute('GET', /^\/invoices\/new$/, showForm),
  authRoute('POST', /^\/invoices\/new$/, saveInvoice),
];
