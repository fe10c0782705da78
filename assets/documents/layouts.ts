// HTML layouts of the generated documents: three invoice layouts and two claim form layouts,
// each with its own labels, label placement (beside or above the value), date and money
// formats and font, so an extractor cannot lean on one template.
import type { ClaimForm, Invoice } from './data.js';

export const INVOICE_LAYOUTS = ['classic', 'modern', 'compact'] as const;
export const CLAIM_LAYOUTS = ['boxed', 'stacked'] as const;
export type Layout = (typeof INVOICE_LAYOUTS)[number] | (typeof CLAIM_LAYOUTS)[number];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const parts = (iso: string): [string, string, string] => iso.split('-') as [string, string, string];
const longDate = (iso: string): string => `${MONTHS[Number(parts(iso)[1]) - 1]} ${Number(parts(iso)[2])}, ${parts(iso)[0]}`;
const dayMonthYear = (iso: string): string => `${Number(parts(iso)[2])} ${MONTHS[Number(parts(iso)[1]) - 1]} ${parts(iso)[0]}`;
const dotted = (iso: string): string => `${parts(iso)[2]}.${parts(iso)[1]}.${parts(iso)[0]}`;
const usSlashes = (iso: string): string => `${parts(iso)[1]}/${parts(iso)[2]}/${parts(iso)[0]}`;
const grouped = (n: number, group: string, decimal: string): string => {
  const [whole, fraction] = n.toFixed(2).split('.') as [string, string];
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, group)}${decimal}${fraction}`;
};
const dollars = (n: number): string => `$${grouped(n, ',', '.')}`;
const euros = (n: number): string => `${grouped(n, '.', ',')} €`;
const usd = (n: number): string => `USD ${grouped(n, ',', '.')}`;

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function page(font: string, css: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 0; }
html, body { margin: 0; padding: 0; }
.sheet { width: 794px; height: 1123px; box-sizing: border-box; padding: 56px 64px; background: #fff; color: #111; font-family: ${font}; font-size: 15px; position: relative; }
table { border-collapse: collapse; }
${css}
</style></head><body><div class="sheet">${body}</div></body></html>`;
}

function classic(inv: Invoice): string {
  const rows = inv.items.map((i) => `<tr><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${dollars(i.unitPrice)}</td><td class="n">${dollars(i.amount)}</td></tr>`).join('');
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `h1 { font-size: 34px; letter-spacing: 4px; margin: 0; text-align: right; }
.top { display: flex; justify-content: space-between; margin-bottom: 40px; }
.meta td { padding: 3px 0 3px 18px; } .meta td:first-child { font-weight: bold; }
.small { font-size: 13px; color: #333; }
.items { width: 100%; margin-top: 36px; } .items th { text-align: left; border-bottom: 2px solid #111; padding: 6px; } .items td { padding: 7px 6px; border-bottom: 1px solid #bbb; }
.n { text-align: right; } .items th.n { text-align: right; }
.totals { margin-left: auto; margin-top: 24px; } .totals td { padding: 4px 6px 4px 28px; text-align: right; } .totals tr:last-child td { font-weight: bold; font-size: 18px; border-top: 2px solid #111; }`,
    `<div class="top"><div><div class="small">From</div><div style="font-size:20px;font-weight:bold">${escape(inv.vendor)}</div><div class="small">${escape(inv.vendorAddress)}</div></div>
<div><h1>INVOICE</h1><table class="meta"><tr><td>Invoice No.:</td><td>${inv.invoiceNumber}</td></tr><tr><td>Invoice Date:</td><td>${longDate(inv.invoiceDate)}</td></tr><tr><td>Due Date:</td><td>${longDate(inv.dueDate)}</td></tr><tr><td>PO Number:</td><td>${inv.poNumber}</td></tr></table></div></div>
<div class="small">Bill to</div><div>${escape(inv.customer)}</div>
<table class="items"><tr><th>Description</th><th class="n">Qty</th><th class="n">Unit price</th><th class="n">Amount</th></tr>${rows}</table>
<table class="totals"><tr><td>Subtotal</td><td>${dollars(inv.subtotal)}</td></tr><tr><td>Tax (${inv.taxRate}%)</td><td>${dollars(inv.tax)}</td></tr><tr><td>Total</td><td>${dollars(inv.total)}</td></tr></table>
<p class="small" style="position:absolute;bottom:56px">Thank you for your business. Please quote the invoice number with your payment.</p>`,
  );
}

function modern(inv: Invoice): string {
  const rows = inv.items.map((i) => `<tr><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${euros(i.unitPrice)}</td><td class="n">${euros(i.amount)}</td></tr>`).join('');
  const box = (label: string, value: string): string => `<div class="box"><div class="label">${label}</div><div class="value">${value}</div></div>`;
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.brand { background: #1f3a5f; color: #fff; padding: 22px 26px; margin: -56px -64px 30px; font-size: 24px; }
.brand small { display: block; font-size: 13px; opacity: .85; margin-top: 4px; }
.boxes { display: flex; gap: 14px; margin-bottom: 30px; } .box { flex: 1; border: 1px solid #9aa; padding: 10px; }
.label { font-size: 11px; letter-spacing: 1px; color: #456; margin-bottom: 6px; } .value { font-size: 15px; font-weight: bold; }
.items { width: 100%; } .items th { background: #e6ecf2; text-align: left; padding: 8px; font-size: 13px; } .items td { padding: 8px; border-bottom: 1px solid #dde; }
.n { text-align: right; } .items th.n { text-align: right; }
.sum { width: 320px; margin: 26px 0 0 auto; } .sum td { padding: 5px 8px; } .sum td:last-child { text-align: right; }
.due { background: #1f3a5f; color: #fff; font-weight: bold; font-size: 18px; }`,
    `<div class="brand">${escape(inv.vendor)}<small>${escape(inv.vendorAddress)}</small></div>
<div style="margin-bottom:18px"><div class="label">SUPPLIER</div><div>${escape(inv.vendor)}</div></div>
<div class="boxes">${box('INVOICE NUMBER', inv.invoiceNumber)}${box('DATE OF ISSUE', dotted(inv.invoiceDate))}${box('PAYMENT DUE', dotted(inv.dueDate))}${box('PURCHASE ORDER', inv.poNumber)}</div>
<table class="items"><tr><th>Item</th><th class="n">Quantity</th><th class="n">Price</th><th class="n">Line total</th></tr>${rows}</table>
<table class="sum"><tr><td>Net amount</td><td>${euros(inv.subtotal)}</td></tr><tr><td>VAT ${inv.taxRate}%</td><td>${euros(inv.tax)}</td></tr><tr class="due"><td>Amount due</td><td>${euros(inv.total)}</td></tr></table>
<p style="font-size:12px;color:#456;position:absolute;bottom:56px">Invoice for ${escape(inv.customer)}. Payable by bank transfer.</p>`,
  );
}

function compact(inv: Invoice): string {
  const rows = inv.items.map((i) => `<tr><td>${i.quantity} x ${escape(i.description)}</td><td class="n">${usd(i.amount)}</td></tr>`).join('');
  return page(
    '"Liberation Serif", "Times New Roman", serif',
    `h2 { font-size: 22px; margin: 0 0 4px; } .head { border-bottom: 1px solid #000; padding-bottom: 14px; margin-bottom: 22px; }
.kv { line-height: 1.9; margin-bottom: 26px; }
.items { width: 100%; } .items td { padding: 6px 0; border-bottom: 1px dotted #777; } .items .hdr td { font-weight: bold; border-bottom: 1px solid #000; }
.n { text-align: right; }
.tot { margin-top: 22px; text-align: right; line-height: 1.9; } .tot b { font-size: 17px; }`,
    `<div class="head"><h2>${escape(inv.vendor)}</h2><div>${escape(inv.vendorAddress)}</div></div>
<div class="kv"><div>Vendor: ${escape(inv.vendor)}</div><div>Invoice #: ${inv.invoiceNumber}</div><div>Issued: ${inv.invoiceDate}</div><div>Due: ${inv.dueDate}</div><div>PO: ${inv.poNumber}</div><div>Customer: ${escape(inv.customer)}</div></div>
<table class="items"><tr class="hdr"><td>Description</td><td class="n">Amount</td></tr>${rows}</table>
<div class="tot"><div>Sub-total: ${usd(inv.subtotal)}</div><div>Sales tax (${inv.taxRate}%): ${usd(inv.tax)}</div><div><b>Total due: ${usd(inv.total)}</b></div></div>`,
  );
}

function boxed(claim: ClaimForm): string {
  const row = (label: string, value: string): string => `<tr><th>${label}</th><td>${value}</td></tr>`;
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `h1 { font-size: 26px; margin: 0 0 6px; } .sub { color: #444; margin-bottom: 30px; }
.form { width: 100%; } .form th { width: 210px; text-align: left; background: #f0f0f0; border: 1px solid #888; padding: 10px; font-size: 14px; } .form td { border: 1px solid #888; padding: 10px; }
.desc { border: 1px solid #888; margin-top: 24px; padding: 10px; min-height: 120px; } .desc b { display: block; margin-bottom: 8px; font-size: 14px; }`,
    `<h1>Acme Insurance — Claim Form</h1><div class="sub">Please complete in block capitals and return with your receipts.</div>
<table class="form">${row('Policy Number', claim.policyNumber)}${row('Claimant Name', escape(claim.claimant))}${row('Type of Claim', claim.claimType)}${row('Date of Incident', dayMonthYear(claim.incidentDate))}${row('Claim Amount', dollars(claim.amount))}${row('Phone', claim.phone)}</table>
<div class="desc"><b>Description of Incident</b>${escape(claim.description)}</div>
<p style="font-size:12px;color:#444;margin-top:40px">I declare that the information above is true and complete.</p>`,
  );
}

function stacked(claim: ClaimForm): string {
  const field = (label: string, value: string, width: string): string => `<div class="f" style="width:${width}"><div class="l">${label}</div><div class="v">${value}</div></div>`;
  return page(
    '"DejaVu Serif", Georgia, serif',
    `h1 { font-size: 22px; text-align: center; border-bottom: 3px double #000; padding-bottom: 10px; margin: 0 0 26px; }
.grid { display: flex; flex-wrap: wrap; gap: 16px 4%; } .f { border-bottom: 1px solid #000; padding-bottom: 6px; }
.l { font-size: 11px; letter-spacing: 1px; margin-bottom: 8px; color: #333; } .v { font-size: 16px; }
.what { margin-top: 30px; } .what .v { line-height: 1.6; }`,
    `<h1>NOTICE OF LOSS</h1>
<div class="grid">${field('POLICY NO.', claim.policyNumber, '46%')}${field('CLAIM TYPE', claim.claimType, '46%')}${field('NAME OF CLAIMANT', escape(claim.claimant), '46%')}${field('INCIDENT DATE', usSlashes(claim.incidentDate), '46%')}${field('AMOUNT CLAIMED', grouped(claim.amount, ',', '.'), '46%')}${field('TELEPHONE', claim.phone, '46%')}</div>
<div class="what"><div class="l">WHAT HAPPENED</div><div class="v">${escape(claim.description)}</div></div>
<p style="font-size:12px;margin-top:60px">Signature of claimant: ______________________</p>`,
  );
}

export function renderHtml(doc: Invoice | ClaimForm, layout: Layout): string {
  if (doc.kind === 'invoice') {
    if (layout === 'classic') return classic(doc);
    if (layout === 'modern') return modern(doc);
    if (layout === 'compact') return compact(doc);
  } else {
    if (layout === 'boxed') return boxed(doc);
    if (layout === 'stacked') return stacked(doc);
  }
  throw new Error(`layout "${layout}" does not fit a ${doc.kind}`);
}
