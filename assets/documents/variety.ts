// The variety corpus: invoices and claim forms in more layouts, English, German and French
// label wordings, other ID formats, currencies, amount and date styles — each drawn only from
// its set (design or held-out, see split.ts), so bench/extraction can tell a rule that
// generalises from one that learnt the design documents by heart.
import { INCIDENTS, randomClaim, randomInvoice, type ClaimForm, type Invoice, type Random } from './data.js';
import { SPLIT, type CorpusSet, type DateStyle, type MoneyStyle, type VarietyLayout, type VocabularyId } from './split.js';
import { DATE_LANGUAGE, DATES, formatId, MONEY, VOCABULARIES, type Language, type Vocabulary } from './vocabularies.js';

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

export interface Style {
  set: CorpusSet;
  layout: VarietyLayout;
  vocabulary: VocabularyId;
  money: MoneyStyle;
  date: DateStyle;
}

export interface VarietyInvoice extends Invoice {
  style: Style;
  vendorLines: string[];
  /** null: this invoice prints no order number at all. */
  po: string | null;
  currency: string;
}

export interface VarietyClaim extends ClaimForm {
  style: Style;
}

const VENDORS = ['Sundial Catering AB', 'Brightwater Facilities Ltd', 'Kranich Bürotechnik GmbH', 'Atelier Dupont SARL', 'Nordlicht Logistik KG', 'Hollis & Pryce Stationers', 'Papeterie Lefèvre', 'Vogel IT-Service GmbH', 'Castlegate Cleaning Services', 'Société Générale de Nettoyage'];
const ADDRESS_FIRST = ['Unit 4, Riverside Park', 'Hauptstraße 12', '14 rue des Lilas', 'Suite 210, Kingsgate House', 'Gewerbepark Nord 7', '3 avenue Victor Hugo', 'Block B, Mill Yard'];
const ADDRESS_SECOND = ['Bristol BS1 6QH', '80331 München', '69003 Lyon', 'Leeds LS2 8JS', '50667 Köln', '75011 Paris', 'Glasgow G2 4JR'];
const CLAIMANTS = ['Ingrid Bäcker', 'Élodie Marchand', 'Hamish McAllister', 'Jürgen Wolff', 'Nadia Haddad', 'Pierre-Louis Girard', 'Siobhan Kelly', 'Katrin Vogt'];

function style(random: Random, set: CorpusSet, layouts: readonly VarietyLayout[]): Style {
  const vocabulary = pick(random, SPLIT[set].vocabularies);
  const language = VOCABULARIES[vocabulary].language;
  // Long dates only in their own language; numeric styles anywhere.
  const dates = (SPLIT[set].dates as readonly DateStyle[]).filter((d) => (DATE_LANGUAGE[d] ?? language) === language);
  return { set, layout: pick(random, layouts), vocabulary, money: pick(random, SPLIT[set].money), date: pick(random, dates) };
}

export function varietyInvoice(random: Random, set: CorpusSet): VarietyInvoice {
  const base = randomInvoice(random);
  const s = style(random, set, SPLIT[set].invoiceLayouts);
  const vendor = pick(random, VENDORS);
  const hasPo = random() < 0.7;
  return {
    ...base,
    vendor,
    vendorLines: [pick(random, ADDRESS_FIRST), pick(random, ADDRESS_SECOND)],
    invoiceNumber: formatId(pick(random, SPLIT[set].invoiceNumbers), random),
    po: hasPo ? formatId(pick(random, SPLIT[set].orderNumbers), random) : null,
    currency: MONEY[s.money].currency,
    style: s,
  };
}

export function varietyClaim(random: Random, set: CorpusSet): VarietyClaim {
  const base = randomClaim(random);
  const claim: VarietyClaim = { ...base, claimant: pick(random, CLAIMANTS), policyNumber: formatId(pick(random, SPLIT[set].policyNumbers), random), style: style(random, set, SPLIT[set].claimLayouts) };
  if (claim.style.layout === 'inventory') {
    // A home contents claim form is a home claim: the same draw, told as a loss at home (held-out-21; no extra draws).
    const told = Math.max(0, INCIDENTS[base.claimType].indexOf(base.description)) % INCIDENTS.Home.length;
    return { ...claim, claimType: 'Home', description: INCIDENTS.Home[told]! };
  }
  if (claim.style.layout === 'travel') {
    // A travel-insurance claim form is a travel claim: the same draw, told as a trip gone wrong (held-out-20; no extra draws).
    const told = Math.max(0, INCIDENTS[base.claimType].indexOf(base.description)) % INCIDENTS.Travel.length;
    return { ...claim, claimType: 'Travel', description: INCIDENTS.Travel[told]! };
  }
  if (claim.style.layout !== 'motor') return claim;
  // A motor claim form is a motor claim: the same draw, told as a motor accident (no extra draws, so the stream is unchanged).
  const told = Math.max(0, INCIDENTS[base.claimType].indexOf(base.description)) % INCIDENTS.Auto.length;
  return { ...claim, claimType: 'Auto', description: INCIDENTS.Auto[told]! };
}

/** The values an extraction of this document must find, by field name. */
export function varietyTruth(doc: VarietyInvoice | VarietyClaim): Record<string, unknown> {
  if (doc.kind === 'claim') {
    const { policyNumber, claimant, claimType, incidentDate, amount, description } = doc;
    return { policyNumber, claimant, claimType, incidentDate, amount, description };
  }
  const { vendor, invoiceNumber, po, invoiceDate, dueDate, subtotal, tax, total, currency } = doc;
  return { vendor, invoiceNumber, poNumber: po, invoiceDate, dueDate, items: doc.items.map((i) => i.amount), subtotal, tax, total, currency };
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function page(font: string, css: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 0; }
html, body { margin: 0; padding: 0; }
.sheet { width: 794px; height: 1123px; box-sizing: border-box; padding: 56px 64px; background: #fff; color: #111; font-family: ${font}; font-size: 15px; position: relative; }
table { border-collapse: collapse; }
.n { text-align: right; }
${css}
</style></head><body><div class="sheet">${body}</div></body></html>`;
}

interface Printed {
  v: Vocabulary;
  money: (n: number) => string;
  date: (iso: string) => string;
}

/** A layout's own words in the document's language (the layouts before held-out-17 have English, German and French only; held-out-17's add Italian, held-out-18's Spanish, held-out-19's Dutch, held-out-20's Polish, held-out-21's Portuguese instead). */
function wordsOf<W extends Partial<Record<Language, unknown>>>(table: W, v: Vocabulary): NonNullable<W[keyof W]> {
  const words = table[v.language as keyof W];
  if (words === undefined || words === null) throw new Error(`this layout has no words in "${v.language}"`);
  return words;
}

const printed = (s: Style): Printed => ({ v: VOCABULARIES[s.vocabulary], money: MONEY[s.money].format, date: DATES[s.date] });

function itemRows(inv: VarietyInvoice, p: Printed): string {
  return inv.items.map((i) => `<tr><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
}

/** Design: metadata as a label | value table; the supplier block under its label, address lines in the same type. */
function grid(inv: VarietyInvoice, p: Printed): string {
  const meta = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `h1 { font-size: 28px; margin: 0 0 30px; } .cols { display: flex; justify-content: space-between; margin-bottom: 36px; }
.lbl { font-size: 12px; color: #555; margin-bottom: 4px; } .meta td { padding: 4px 0 4px 24px; } .meta td:first-child { color: #333; }
.items { width: 100%; } .items th { text-align: left; border-bottom: 1px solid #000; padding: 6px; } .items th.n { text-align: right; } .items td { padding: 6px; }
.totals { margin: 24px 0 0 auto; } .totals td { padding: 4px 0 4px 40px; text-align: right; }`,
    `<h1>${p.v.invoiceTitle}</h1><div class="cols"><div><div class="lbl">${p.v.vendor}</div><div>${escape(inv.vendor)}</div>${inv.vendorLines.map((l) => `<div>${escape(l)}</div>`).join('')}</div>
<table class="meta">${meta.map(([l, v]) => `<tr><td>${l}</td><td>${v}</td></tr>`).join('')}</table></div>
<div class="lbl">${p.v.billTo}</div><div style="margin-bottom:30px">${escape(inv.customer)}</div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td><b>${p.v.total}</b></td><td><b>${p.money(inv.total)}</b></td></tr></table>
<p style="position:absolute;bottom:56px;font-size:12px">${p.v.thanks}</p>`,
  );
}

/** Held-out: a letterhead with no supplier label, metadata as boxes with the label above the value. */
function letter(inv: VarietyInvoice, p: Printed): string {
  const box = (label: string, value: string): string => `<div class="box"><div class="lbl">${label}</div><div>${value}</div></div>`;
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.head { margin-bottom: 26px; } .head .name { font-size: 22px; font-weight: bold; } .title { font-size: 20px; letter-spacing: 3px; margin: 10px 0 18px; }
.boxes { display: flex; gap: 12px; margin-bottom: 26px; } .box { border: 1px solid #999; padding: 8px 10px; flex: 1; } .lbl { font-size: 11px; color: #555; margin-bottom: 5px; }
.items { width: 100%; } .items th { background: #eee; text-align: left; padding: 7px; font-size: 13px; } .items th.n { text-align: right; } .items td { padding: 7px; border-bottom: 1px solid #ddd; }
.totals { margin: 22px 0 0 auto; width: 330px; } .totals td { padding: 5px 8px; } .totals td:last-child { text-align: right; }`,
    `<div class="head"><div class="name">${escape(inv.vendor)}</div>${inv.vendorLines.map((l) => `<div>${escape(l)}</div>`).join('')}</div>
<div class="title">${p.v.invoiceTitle}</div>
<div class="boxes">${box(p.v.invoiceNumber, inv.invoiceNumber)}${box(p.v.invoiceDate, p.date(inv.invoiceDate))}${box(p.v.dueDate, p.date(inv.dueDate))}${inv.po ? box(p.v.poNumber, inv.po) : ''}</div>
<div style="margin-bottom:24px">${p.v.billTo}: ${escape(inv.customer)}</div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td><b>${p.v.total}</b></td><td><b>${p.money(inv.total)}</b></td></tr></table>
<p style="position:absolute;bottom:56px;font-size:12px">${p.v.thanks}</p>`,
  );
}

/** Held-out: "Label: value" lines, the supplier under a label with its address, totals as one line each. */
function inline(inv: VarietyInvoice, p: Printed): string {
  const kv = (label: string, value: string): string => `<div>${label}: ${value}</div>`;
  return page(
    '"Liberation Serif", "Times New Roman", serif',
    `.title { font-size: 26px; margin: 0 0 24px; } .row { display: flex; justify-content: space-between; margin-bottom: 30px; line-height: 1.7; }
.items { width: 100%; margin-top: 8px; } .items th { text-align: left; border-bottom: 1px solid #000; padding: 5px; } .items th.n { text-align: right; } .items td { padding: 5px; border-bottom: 1px dotted #999; }
.tot { width: 340px; margin: 22px 0 0 auto; line-height: 1.8; } .tot div { display: flex; justify-content: space-between; }`,
    `<div class="title">${p.v.invoiceTitle}</div>
<div class="row"><div><div>${p.v.vendor}</div><div>${escape(inv.vendor)}</div>${inv.vendorLines.map((l) => `<div>${escape(l)}</div>`).join('')}</div>
<div>${kv(p.v.invoiceNumber, inv.invoiceNumber)}${kv(p.v.invoiceDate, p.date(inv.invoiceDate))}${kv(p.v.dueDate, p.date(inv.dueDate))}${inv.po ? kv(p.v.poNumber, inv.po) : ''}</div></div>
${kv(p.v.billTo, escape(inv.customer))}
<table class="items" style="margin-top:20px"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<div class="tot"><div><span>${p.v.subtotal}</span><span>${p.money(inv.subtotal)}</span></div><div><span>${p.v.tax(inv.taxRate)}</span><span>${p.money(inv.tax)}</span></div><div><b>${p.v.total}</b><b>${p.money(inv.total)}</b></div></div>
<p style="position:absolute;bottom:56px;font-size:12px">${p.v.thanks}</p>`,
  );
}

/** Design: a claim form as a label | value table. */
function form(claim: VarietyClaim, p: Printed): string {
  const row = (label: string, value: string): string => `<tr><th>${label}</th><td>${value}</td></tr>`;
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `h1 { font-size: 24px; margin: 0 0 28px; } .f { width: 100%; } .f th { width: 240px; text-align: left; font-weight: normal; border: 1px solid #888; padding: 9px; background: #f4f4f4; } .f td { border: 1px solid #888; padding: 9px; }
.d { margin-top: 26px; } .d .l { margin-bottom: 8px; }`,
    `<h1>${p.v.claimTitle}</h1><table class="f">${row(p.v.policyNumber, claim.policyNumber)}${row(p.v.claimant, escape(claim.claimant))}${row(p.v.claimType, p.v.claimTypes[claim.claimType])}${row(p.v.incidentDate, p.date(claim.incidentDate))}${row(p.v.claimAmount, p.money(claim.amount))}${row(p.v.phone, claim.phone)}</table>
<div class="d"><div class="l">${p.v.description}</div><div>${escape(claim.description)}</div></div>`,
  );
}

/** Held-out: a two-column sheet with labels above values. */
function sheet(claim: VarietyClaim, p: Printed): string {
  const cell = (label: string, value: string): string => `<div class="c"><div class="l">${label}</div><div class="v">${value}</div></div>`;
  return page(
    '"DejaVu Serif", Georgia, serif',
    `h1 { font-size: 22px; margin: 0 0 26px; border-bottom: 2px solid #000; padding-bottom: 8px; } .g { display: flex; flex-wrap: wrap; gap: 18px 6%; } .c { width: 47%; }
.l { font-size: 12px; color: #444; margin-bottom: 6px; } .v { font-size: 16px; border-bottom: 1px solid #999; padding-bottom: 4px; } .d { margin-top: 30px; }`,
    `<h1>${p.v.claimTitle}</h1><div class="g">${cell(p.v.claimant, escape(claim.claimant))}${cell(p.v.policyNumber, claim.policyNumber)}${cell(p.v.incidentDate, p.date(claim.incidentDate))}${cell(p.v.claimType, p.v.claimTypes[claim.claimType])}${cell(p.v.claimAmount, p.money(claim.amount))}${cell(p.v.phone, claim.phone)}</div>
<div class="d"><div class="l">${p.v.description}</div><div class="v">${escape(claim.description)}</div></div>`,
  );
}

/** Held-out-2: metadata as a definition list far left of its values, the supplier at the top right under its label. */
function ledger(inv: VarietyInvoice, p: Printed): string {
  const meta = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  return page(
    '"Liberation Mono", "DejaVu Sans Mono", monospace',
    `.top { display: flex; justify-content: space-between; margin-bottom: 34px; } .title { font-size: 24px; font-weight: bold; margin-bottom: 16px; }
.meta td { padding: 3px 0; } .meta td:first-child { padding-right: 60px; }
.vendor { text-align: left; width: 300px; } .vendor .lbl { font-size: 12px; text-transform: uppercase; margin-bottom: 4px; }
.items { width: 100%; } .items th { text-align: left; border-top: 1px solid #000; border-bottom: 1px solid #000; padding: 5px; } .items th.n { text-align: right; } .items td { padding: 5px; }
.totals { margin: 20px 0 0 auto; } .totals td { padding: 3px 0 3px 30px; text-align: right; }`,
    `<div class="top"><div><div class="title">${p.v.invoiceTitle}</div><table class="meta">${meta.map(([l, v]) => `<tr><td>${l}</td><td>${v}</td></tr>`).join('')}</table></div>
<div class="vendor"><div class="lbl">${p.v.vendor}</div><div>${escape(inv.vendor)}</div>${inv.vendorLines.map((l) => `<div>${escape(l)}</div>`).join('')}</div></div>
<div style="margin-bottom:26px">${p.v.billTo}<br>${escape(inv.customer)}</div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td><b>${p.v.total}</b></td><td><b>${p.money(inv.total)}</b></td></tr></table>
<p style="position:absolute;bottom:56px;font-size:12px">${p.v.thanks}</p>`,
  );
}

/** Held-out-2: a claim as bold "Label: value" lines in two columns, the account of the loss under its label. */
function panel(claim: VarietyClaim, p: Printed): string {
  const kv = (label: string, value: string): string => `<div class="kv"><b>${label}:</b> ${value}</div>`;
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `h1 { font-size: 21px; margin: 0 0 22px; } .cols { display: flex; gap: 40px; } .cols > div { flex: 1; } .kv { margin-bottom: 14px; }
.story { margin-top: 26px; border: 1px solid #777; padding: 12px; } .story b { display: block; margin-bottom: 8px; }`,
    `<h1>${p.v.claimTitle}</h1><div class="cols"><div>${kv(p.v.policyNumber, claim.policyNumber)}${kv(p.v.claimant, escape(claim.claimant))}${kv(p.v.phone, claim.phone)}</div>
<div>${kv(p.v.claimType, p.v.claimTypes[claim.claimType])}${kv(p.v.incidentDate, p.date(claim.incidentDate))}${kv(p.v.claimAmount, p.money(claim.amount))}</div></div>
<div class="story"><b>${p.v.description}</b>${escape(claim.description)}</div>`,
  );
}

/** Held-out-3: metadata as a strip of cells, label above value; supplier and totals in a side panel. */
function strip(inv: VarietyInvoice, p: Printed): string {
  const cells = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  return page(
    '"Liberation Sans Narrow", "Liberation Sans", Arial, sans-serif',
    `.title { font-size: 30px; font-weight: bold; margin-bottom: 8px; } .strip { display: flex; border-top: 3px solid #333; border-bottom: 1px solid #333; margin: 14px 0 26px; }
.strip div.c { flex: 1; padding: 8px; border-right: 1px solid #ccc; } .c .l { font-size: 11px; color: #555; } .c .v { font-size: 15px; margin-top: 4px; }
.sup { margin-bottom: 20px; } .sup .l { font-size: 11px; color: #555; }
.items { width: 100%; } .items th { text-align: left; background: #333; color: #fff; padding: 6px; } .items th.n { text-align: right; } .items td { padding: 6px; border-bottom: 1px solid #eee; }
.totals { margin: 24px 0 0 auto; border: 1px solid #333; } .totals td { padding: 6px 12px; } .totals td:last-child { text-align: right; }`,
    `<div class="title">${p.v.invoiceTitle}</div>
<div class="sup"><div class="l">${p.v.vendor}</div><div>${escape(inv.vendor)}, ${escape(inv.vendorLines.join(', '))}</div></div>
<div class="strip">${cells.map(([l, v]) => `<div class="c"><div class="l">${l}</div><div class="v">${v}</div></div>`).join('')}</div>
<div style="margin-bottom:22px">${p.v.billTo}: ${escape(inv.customer)}</div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td><b>${p.v.total}</b></td><td><b>${p.money(inv.total)}</b></td></tr></table>
<p style="position:absolute;bottom:56px;font-size:12px">${p.v.thanks}</p>`,
  );
}

/** Held-out-3: a claim as a memo, each field a line "Label ..... value" with dotted leaders. */
function memo(claim: VarietyClaim, p: Printed): string {
  const row = (label: string, value: string): string => `<tr><td>${label}</td><td class="dots"></td><td>${value}</td></tr>`;
  return page(
    '"Liberation Serif", "Times New Roman", serif',
    `h1 { font-size: 22px; font-variant: small-caps; margin: 0 0 24px; } .m { width: 100%; } .m td { padding: 6px 0; } .m td:first-child { width: 200px; } .dots { border-bottom: 1px dotted #666; width: 120px; }
.r { margin-top: 30px; } .r p { margin: 6px 0 0; }`,
    `<h1>${p.v.claimTitle}</h1><table class="m">${row(p.v.policyNumber, claim.policyNumber)}${row(p.v.claimant, escape(claim.claimant))}${row(p.v.claimType, p.v.claimTypes[claim.claimType])}${row(p.v.incidentDate, p.date(claim.incidentDate))}${row(p.v.claimAmount, p.money(claim.amount))}${row(p.v.phone, claim.phone)}</table>
<div class="r">${p.v.description}<p>${escape(claim.description)}</p></div>`,
  );
}

/** Held-out-4: the supplier in a dark banner (no label, address in small type on one line under it), metadata stacked at the right with each label above its value, numbered item rows, totals with the amount payable boxed. */
function banner(inv: VarietyInvoice, p: Printed): string {
  const meta = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  const rows = inv.items.map((i, n) => `<tr><td>${n + 1}</td><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  return page(
    '"DejaVu Sans Condensed", "DejaVu Sans", sans-serif',
    `.band { background: #1d3557; color: #fff; margin: -56px -64px 0; padding: 26px 64px 18px; } .band .name { font-size: 26px; font-weight: bold; } .band .addr { font-size: 12px; margin-top: 6px; color: #dde; }
.mid { display: flex; justify-content: space-between; margin: 30px 0 28px; } .title { font-size: 34px; font-weight: 300; color: #1d3557; }
.meta .l { font-size: 11px; font-weight: bold; text-transform: uppercase; color: #1d3557; margin-top: 10px; } .meta .v { font-size: 15px; }
.to .l { font-size: 11px; font-weight: bold; text-transform: uppercase; color: #1d3557; } .to { margin-bottom: 26px; }
.items { width: 100%; } .items th { text-align: left; border-bottom: 2px solid #1d3557; padding: 6px; font-size: 13px; } .items th.n { text-align: right; } .items td { padding: 6px; }
.totals { margin: 24px 0 0 auto; width: 360px; } .totals td { padding: 5px 8px; } .totals td:last-child { text-align: right; } .totals tr.pay td { border: 2px solid #1d3557; font-weight: bold; }`,
    `<div class="band"><div class="name">${escape(inv.vendor)}</div><div class="addr">${escape(inv.vendorLines.join(' · '))}</div></div>
<div class="mid"><div class="title">${p.v.invoiceTitle}</div><div class="meta">${meta.map(([l, v]) => `<div class="l">${l}</div><div class="v">${v}</div>`).join('')}</div></div>
<div class="to"><div class="l">${p.v.billTo}</div><div>${escape(inv.customer)}</div></div>
<table class="items"><tr><th>#</th><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${rows}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr class="pay"><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<p style="position:absolute;bottom:56px;font-size:12px">${p.v.thanks}</p>`,
  );
}

/** Held-out-4: a claim as a grid of bordered tiles, each label small at the tile's top left and the value under it; the account of the loss in a wide tile. */
function tiles(claim: VarietyClaim, p: Printed): string {
  const tile = (label: string, value: string, wide = false): string => `<div class="t${wide ? ' w' : ''}"><div class="l">${label}</div><div class="v">${value}</div></div>`;
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `h1 { font-size: 20px; text-transform: uppercase; letter-spacing: 2px; margin: 0 0 20px; } .g { display: flex; flex-wrap: wrap; gap: 10px; }
.t { border: 1px solid #555; padding: 6px 9px 10px; width: 30%; box-sizing: border-box; flex-grow: 1; } .t.w { width: 100%; } .l { font-size: 10px; color: #333; margin-bottom: 8px; } .v { font-size: 15px; }`,
    `<h1>${p.v.claimTitle}</h1><div class="g">${tile(p.v.policyNumber, claim.policyNumber)}${tile(p.v.incidentDate, p.date(claim.incidentDate))}${tile(p.v.claimType, p.v.claimTypes[claim.claimType])}${tile(p.v.claimant, escape(claim.claimant))}${tile(p.v.phone, claim.phone)}${tile(p.v.claimAmount, p.money(claim.amount))}${tile(p.v.description, escape(claim.description), true)}</div>`,
  );
}

/** Held-out-5: a grey sidebar with the seller (label, name, one address line per line) beside the main column; the metadata as dot-leader lines ("Our ref. ........ value"), totals right-aligned. */
function columns(inv: VarietyInvoice, p: Printed): string {
  const meta = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  const leader = (label: string, value: string): string => `<div class="ld"><span class="k">${label}</span><span class="dots"></span><span class="val">${value}</span></div>`;
  return page(
    '"Liberation Serif", "Times New Roman", serif',
    `.wrap { display: flex; gap: 34px; margin: -56px -64px; height: 1123px; } .side { width: 210px; background: #ececec; padding: 56px 22px; box-sizing: border-box; font-size: 13px; }
.side .l { font-size: 11px; font-variant: small-caps; letter-spacing: 1px; color: #444; } .side .name { font-size: 17px; font-weight: bold; margin: 4px 0 6px; }
.main { flex: 1; padding: 56px 56px 56px 0; } .title { font-size: 30px; margin: 0 0 24px; }
.ld { display: flex; align-items: baseline; width: 420px; margin: 4px 0; } .ld .dots { flex: 1; overflow: hidden; white-space: nowrap; margin: 0 6px; } .ld .dots::after { content: '........................................................................................'; color: #777; }
.to { margin: 24px 0; } .to .l { font-size: 11px; font-variant: small-caps; letter-spacing: 1px; color: #444; }
.items { width: 100%; } .items th { text-align: left; border-bottom: 1px solid #111; border-top: 1px solid #111; padding: 5px; font-size: 13px; } .items th.n { text-align: right; } .items td { padding: 5px; }
.totals { margin: 20px 0 0 auto; } .totals td { padding: 4px 6px; } .totals td:last-child { text-align: right; min-width: 120px; } .totals tr:last-child td { font-weight: bold; border-top: 1px double #111; }`,
    `<div class="wrap"><div class="side"><div class="l">${p.v.vendor}</div><div class="name">${escape(inv.vendor)}</div>${inv.vendorLines.map((l) => `<div>${escape(l)}</div>`).join('')}</div>
<div class="main"><div class="title">${p.v.invoiceTitle}</div>${meta.map(([l, v]) => leader(l!, v!)).join('')}
<div class="to"><div class="l">${p.v.billTo}</div><div>${escape(inv.customer)}</div></div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<p style="font-size:12px;margin-top:40px">${escape(p.v.thanks)}</p></div></div>`,
  );
}

/** Held-out-5: a paper claim form — each value written on a ruled line with its caption UNDER the line in small type, the kind of claim as ticked boxes. */
function lined(claim: VarietyClaim, p: Printed): string {
  const line = (label: string, value: string, width = 100): string => `<div class="f" style="width:${width}%"><div class="v">${value}</div><div class="c">${label}</div></div>`;
  const boxes = (['Auto', 'Home', 'Travel'] as const).map((t) => `<span class="bx">${t === claim.claimType ? '☒' : '☐'} ${p.v.claimTypes[t]}</span>`).join('');
  return page(
    '"DejaVu Serif", serif',
    `h1 { font-size: 22px; border-bottom: 3px double #222; padding-bottom: 8px; margin: 0 0 26px; } .row { display: flex; gap: 24px; }
.f { margin-bottom: 22px; } .f .v { border-bottom: 1px solid #222; min-height: 22px; padding: 0 4px 2px; font-size: 15px; } .f .c { font-size: 10px; color: #333; margin-top: 3px; }
.bx { margin-right: 26px; font-size: 15px; } .kind { margin: 4px 0 24px; } .kind .c { font-size: 10px; color: #333; margin-top: 3px; }`,
    `<h1>${p.v.claimTitle}</h1>
<div class="row">${line(p.v.policyNumber, claim.policyNumber, 48)}${line(p.v.phone, claim.phone, 48)}</div>
${line(p.v.claimant, escape(claim.claimant))}
<div class="kind"><div>${boxes}</div><div class="c">${p.v.claimType}</div></div>
<div class="row">${line(p.v.incidentDate, p.date(claim.incidentDate), 48)}${line(p.v.claimAmount, p.money(claim.amount), 48)}</div>
${line(p.v.description, escape(claim.description))}`,
  );
}

/** Held-out-6: a till receipt — a narrow monospace column, the merchant centred on top, each label and its value on one line pushed apart, items as a description line over a "qty x price  amount" line. */
function receipt(inv: VarietyInvoice, p: Printed): string {
  const row = (label: string, value: string): string => `<div class="r"><span>${label}</span><span>${value}</span></div>`;
  const meta = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  const items = inv.items.map((i) => `<div>${escape(i.description)}</div>${row(`&nbsp;&nbsp;${i.quantity} x ${p.money(i.unitPrice)}`, p.money(i.amount))}`).join('');
  return page(
    '"DejaVu Sans Mono", monospace',
    `.col { width: 420px; margin: 0 auto; font-size: 14px; } .c { text-align: center; } .name { font-weight: bold; font-size: 17px; } .r { display: flex; justify-content: space-between; } hr { border: 0; border-top: 1px dashed #333; margin: 12px 0; } .t { text-align: center; font-size: 16px; margin: 10px 0; }`,
    `<div class="col"><div class="c name">${escape(inv.vendor)}</div>${inv.vendorLines.map((l) => `<div class="c">${escape(l)}</div>`).join('')}
<div class="t">${p.v.invoiceTitle}</div><hr>${meta.map(([l, v]) => row(l!, v!)).join('')}${row(p.v.billTo, escape(inv.customer))}<hr>
${items}<hr>${row(p.v.subtotal, p.money(inv.subtotal))}${row(p.v.tax(inv.taxRate), p.money(inv.tax))}${row(`<b>${p.v.total}</b>`, `<b>${p.money(inv.total)}</b>`)}<hr><div class="c">${escape(p.v.thanks)}</div></div>`,
  );
}

/** Held-out-6: a claim as tables with a header row of labels over one row of values, the account under its own header. */
function headers(claim: VarietyClaim, p: Printed): string {
  const table = (cells: [string, string][]): string => `<table class="h"><tr>${cells.map(([l]) => `<th>${l}</th>`).join('')}</tr><tr>${cells.map(([, v]) => `<td>${v}</td>`).join('')}</tr></table>`;
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `h1 { font-size: 24px; margin: 0 0 26px; } .h { width: 100%; margin-bottom: 22px; } .h th { text-align: left; background: #eee; border: 1px solid #999; padding: 5px 8px; font-size: 12px; } .h td { border: 1px solid #999; padding: 7px 8px; }`,
    `<h1>${p.v.claimTitle}</h1>${table([[p.v.policyNumber, claim.policyNumber], [p.v.claimant, escape(claim.claimant)], [p.v.phone, claim.phone]])}${table([[p.v.claimType, p.v.claimTypes[claim.claimType]], [p.v.incidentDate, p.date(claim.incidentDate)], [p.v.claimAmount, p.money(claim.amount)]])}${table([[p.v.description, escape(claim.description)]])}`,
  );
}

/** Held-out-7: a statement of charges — title left, metadata right with each label right-aligned against its value; the supplier named only in the tear-off remittance slip under its label (and in a small legal footer), the slip repeating the document number and the amount due. */
function remit(inv: VarietyInvoice, p: Printed): string {
  const meta = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.top { display: flex; justify-content: space-between; margin-bottom: 30px; } .title { font-size: 26px; font-weight: bold; }
.meta td { padding: 3px 0; } .meta td:first-child { text-align: right; padding-right: 10px; color: #444; } .meta td:last-child { font-weight: bold; }
.acct { border-left: 4px solid #2a6f97; padding-left: 10px; margin-bottom: 26px; } .acct .l { font-size: 12px; color: #444; }
.items { width: 100%; } .items th { text-align: left; background: #2a6f97; color: #fff; padding: 6px; font-size: 13px; } .items th.n { text-align: right; } .items td { padding: 6px; border-bottom: 1px solid #ddd; }
.totals { margin: 20px 0 0 auto; } .totals td { padding: 4px 6px; } .totals td:first-child { text-align: right; } .totals td:last-child { text-align: right; min-width: 120px; } .totals tr:last-child td { font-weight: bold; font-size: 17px; }
.cut { margin: 40px -64px 0; border-top: 2px dashed #666; position: relative; } .cut span { position: absolute; left: 40px; top: -12px; background: #fff; padding: 0 6px; font-size: 16px; }
.slip { display: flex; justify-content: space-between; margin-top: 26px; font-size: 14px; } .slip .l { font-size: 11px; color: #444; text-transform: uppercase; } .slip .box { border: 1px solid #333; padding: 8px 12px; }
.foot { position: absolute; bottom: 40px; left: 64px; right: 64px; font-size: 10px; color: #555; text-align: center; }`,
    `<div class="top"><div class="title">${p.v.invoiceTitle}</div><table class="meta">${meta.map(([l, v]) => `<tr><td>${l}</td><td>${v}</td></tr>`).join('')}</table></div>
<div class="acct"><div class="l">${p.v.billTo}</div><div>${escape(inv.customer)}</div></div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<p style="font-size:12px;margin-top:26px">${escape(p.v.thanks)}</p>
<div class="cut"><span>✂</span></div>
<div class="slip"><div><div class="l">${p.v.vendor}</div><div><b>${escape(inv.vendor)}</b></div>${inv.vendorLines.map((l) => `<div>${escape(l)}</div>`).join('')}</div>
<div class="box"><div>${p.v.invoiceNumber} ${inv.invoiceNumber}</div><div>${p.v.total} ${p.money(inv.total)}</div></div></div>
<div class="foot">${escape(inv.vendor)} · ${escape(inv.vendorLines.join(' · '))}</div>`,
  );
}

/** Held-out-7: a claim questionnaire — numbered questions, each answer in a box under its question, the kind of claim as radio buttons. */
function questions(claim: VarietyClaim, p: Printed): string {
  let n = 0;
  const q = (label: string, answer: string, tall = false): string => `<div class="q"><span class="num">${++n}.</span> ${label}?</div><div class="a${tall ? ' tall' : ''}">${answer}</div>`;
  const radios = (['Auto', 'Home', 'Travel'] as const).map((t) => `<span class="rb">${t === claim.claimType ? '◉' : '○'} ${p.v.claimTypes[t]}</span>`).join('');
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `h1 { font-size: 21px; margin: 0 0 24px; }
.q { font-size: 13px; margin-top: 16px; } .num { font-weight: bold; color: #7a1f1f; } .a { border: 1px solid #777; border-radius: 3px; padding: 6px 8px; margin: 5px 0 0 22px; font-size: 15px; min-height: 18px; } .a.tall { min-height: 80px; }
.rb { margin-right: 24px; }`,
    `<h1>${p.v.claimTitle}</h1>
${q(p.v.policyNumber, claim.policyNumber)}${q(p.v.claimant, escape(claim.claimant))}${q(p.v.phone, claim.phone)}
<div class="q"><span class="num">${++n}.</span> ${p.v.claimType}?</div><div class="a">${radios}</div>
${q(p.v.incidentDate, p.date(claim.incidentDate))}${q(p.v.claimAmount, p.money(claim.amount))}${q(p.v.description, escape(claim.description), true)}`,
  );
}

/** Held-out-8: the supplier in a box under its label at the top left, "Label: value" metadata in a box at the top right, a VAT-rate column in the items table, and a zero shipping line among the totals. */
function vatcol(inv: VarietyInvoice, p: Printed): string {
  const meta = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  const rows = inv.items.map((i) => `<tr><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${inv.taxRate}%</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  return page(
    '"DejaVu Serif", Georgia, serif',
    `.top { display: flex; justify-content: space-between; gap: 30px; margin-bottom: 24px; } .sup { border: 1px solid #444; padding: 10px 14px; width: 300px; } .sup .l, .to .l { font-size: 11px; color: #555; font-style: italic; } .sup .name { font-weight: bold; font-size: 16px; margin: 3px 0; }
.meta { border: 2px solid #222; padding: 10px 14px; line-height: 1.6; } .title { font-size: 24px; text-align: center; margin: 10px 0 22px; letter-spacing: 1px; }
.to { margin-bottom: 22px; } .items { width: 100%; } .items th { border-bottom: 2px solid #222; padding: 5px; text-align: left; font-size: 13px; } .items th.n { text-align: right; } .items td { padding: 5px; border-bottom: 1px solid #ccc; }
.totals { margin: 18px 0 0 auto; } .totals td { padding: 3px 8px; } .totals td:last-child { text-align: right; min-width: 130px; } .totals tr.t td { border-top: 2px solid #222; font-weight: bold; }`,
    `<div class="top"><div class="sup"><div class="l">${p.v.vendor}</div><div class="name">${escape(inv.vendor)}</div>${inv.vendorLines.map((l) => `<div>${escape(l)}</div>`).join('')}</div>
<div class="meta">${meta.map(([l, v]) => `<div>${l}: ${v}</div>`).join('')}</div></div>
<div class="title">${p.v.invoiceTitle}</div>
<div class="to"><div class="l">${p.v.billTo}</div><div>${escape(inv.customer)}</div></div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.vatRate ?? 'VAT'}</th><th class="n">${p.v.amount}</th></tr>${rows}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.shipping ?? 'Shipping'}</td><td>${p.money(0)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr class="t"><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<p style="position:absolute;bottom:56px;font-size:12px">${escape(p.v.thanks)}</p>`,
  );
}

const LETTER_WORDS = {
  en: { dear: 'Dear Sir or Madam,', intro: 'I am writing to make a claim under the policy above. The facts are as follows.', close: 'Yours faithfully,' },
  de: { dear: 'Sehr geehrte Damen und Herren,', intro: 'hiermit melde ich einen Schaden aus dem oben genannten Vertrag. Die Angaben im Einzelnen:', close: 'Mit freundlichen Grüßen' },
  fr: { dear: 'Madame, Monsieur,', intro: 'Je vous déclare par la présente un sinistre au titre du contrat ci-dessus. Les faits sont les suivants.', close: 'Veuillez agréer mes salutations distinguées.' },
} as const;

/** Held-out-8: a claim sent as a letter — the sender's block at the top right (name under its label, telephone), a letter date a week after the event, the policy in the subject line, the facts as a short key/value block inside the body, the account under its own label, the sender's name again under the closing. */
function correspondence(claim: VarietyClaim, p: Printed): string {
  const words = wordsOf(LETTER_WORDS, p.v);
  const letterDate = new Date(Date.parse(`${claim.incidentDate}T12:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  const fact = (label: string, value: string): string => `<tr><td>${label}:</td><td>${value}</td></tr>`;
  return page(
    '"Liberation Serif", "Times New Roman", serif',
    `.from { margin-left: auto; width: 280px; line-height: 1.5; } .from .l { font-size: 11px; color: #555; } .date { text-align: right; margin: 26px 0; } .re { font-weight: bold; margin-bottom: 22px; }
.body p { margin: 0 0 14px; line-height: 1.5; } .facts { margin: 8px 0 18px 24px; } .facts td { padding: 2px 14px 2px 0; } .sig { margin-top: 30px; }`,
    `<div class="from"><div class="l">${p.v.claimant}</div><div>${escape(claim.claimant)}</div><div>${p.v.phone} ${claim.phone}</div></div>
<div class="date">${p.date(letterDate)}</div>
<div class="re">${p.v.claimTitle} — ${p.v.policyNumber} ${claim.policyNumber}</div>
<div class="body"><p>${words.dear}</p><p>${words.intro}</p>
<table class="facts">${fact(p.v.claimType, p.v.claimTypes[claim.claimType])}${fact(p.v.incidentDate, p.date(claim.incidentDate))}${fact(p.v.claimAmount, p.money(claim.amount))}</table>
<p>${p.v.description}:</p><p>${escape(claim.description)}</p>
<p class="sig">${words.close}<br><br>${escape(claim.claimant)}</p></div>`,
  );
}

/** Held-out-9: an invoice printed from a supplier portal — navigation and breadcrumbs on top, each label on its own line over its value in two columns, the supplier's name under its label, a print date and page number in the footer. */
function portal(inv: VarietyInvoice, p: Printed): string {
  const meta = [[p.v.vendor, escape(inv.vendor)], [p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : []), [p.v.billTo, escape(inv.customer)]];
  const printed = new Date(Date.parse(`${inv.invoiceDate}T12:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.nav { background: #f0f0f0; margin: -56px -64px 0; padding: 10px 64px; font-size: 12px; color: #333; } .crumbs { font-size: 11px; color: #666; margin: 14px 0 10px; } h1 { font-size: 22px; margin: 0 0 18px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px 40px; margin-bottom: 26px; } .grid .l { font-size: 11px; color: #666; } .grid .v { font-size: 15px; font-weight: bold; }
.items { width: 100%; } .items th { text-align: left; background: #f0f0f0; padding: 6px; font-size: 12px; } .items th.n { text-align: right; } .items td { padding: 6px; border-bottom: 1px solid #e4e4e4; }
.totals { margin: 18px 0 0 auto; } .totals td { padding: 4px 8px; } .totals td:last-child { text-align: right; min-width: 120px; } .totals tr:last-child td { font-weight: bold; }
.foot { position: absolute; bottom: 36px; left: 64px; right: 64px; display: flex; justify-content: space-between; font-size: 10px; color: #666; }`,
    `<div class="nav">Home &nbsp;|&nbsp; ${p.v.invoiceTitle} &nbsp;|&nbsp; Help</div><div class="crumbs">Home › ${p.v.invoiceTitle} › ${inv.invoiceNumber}</div>
<h1>${p.v.invoiceTitle}</h1>
<div class="grid">${meta.map(([l, v]) => `<div><div class="l">${l}</div><div class="v">${v}</div></div>`).join('')}</div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<div class="foot"><span>${escape(p.v.thanks)} ${p.date(printed)}</span><span>1 / 1</span></div>`,
  );
}

/** Held-out-9: a claim form with labels in a fixed-width column left of boxed values, the kind of claim as bracketed tick boxes ("[X] Motor [ ] Home"). */
function bracket(claim: VarietyClaim, p: Printed): string {
  const row = (label: string, value: string): string => `<tr><td class="l">${label}</td><td class="v">${value}</td></tr>`;
  const boxes = (['Auto', 'Home', 'Travel'] as const).map((t) => `${t === claim.claimType ? '[X]' : '[ ]'} ${p.v.claimTypes[t]}`).join('&nbsp;&nbsp;&nbsp;');
  return page(
    '"DejaVu Sans Mono", monospace',
    `h1 { font-size: 19px; margin: 0 0 22px; } .f { width: 100%; border-collapse: separate; border-spacing: 0 8px; } .f td.l { width: 230px; font-size: 12px; vertical-align: middle; } .f td.v { border: 1px solid #555; padding: 6px 8px; font-size: 14px; }`,
    `<h1>${p.v.claimTitle}</h1><table class="f">${row(p.v.policyNumber, claim.policyNumber)}${row(p.v.claimant, escape(claim.claimant))}${row(p.v.phone, claim.phone)}${row(p.v.claimType, boxes)}${row(p.v.incidentDate, p.date(claim.incidentDate))}${row(p.v.claimAmount, p.money(claim.amount))}${row(p.v.description, escape(claim.description))}</table>`,
  );
}

const TAX_REG = { en: 'VAT Reg. No.', de: 'USt-IdNr.', fr: 'N° TVA intracom.' } as const;
const BANK = { en: ['Bank details', 'Payment reference'], de: ['Bankverbindung', 'Verwendungszweck'], fr: ['Coordonnées bancaires', 'Référence de paiement'] } as const;

/** Held-out-10: a typewritten invoice — each label runs into its value along a row of dots, the supplier top right over its VAT registration number, the customer top left, bank details (IBAN, BIC, a payment reference) in the footer. */
function leaders(inv: VarietyInvoice, p: Printed): string {
  const lead = (label: string, value: string, width = 30): string => `<div>${label} ${'.'.repeat(Math.max(3, width - [...label].length))} ${value}</div>`;
  const meta = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], [p.v.dueDate, p.date(inv.dueDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  const reg = `${inv.vendor.length % 2 ? 'GB' : 'DE'} ${String(100 + (inv.invoiceNumber.length * 37) % 900)} ${String(1000 + (inv.total * 7) % 9000).slice(0, 4)} ${String(10 + (inv.items.length * 13) % 90)}`;
  return page(
    '"Liberation Mono", "DejaVu Sans Mono", monospace',
    `.top { display: flex; justify-content: space-between; margin-bottom: 34px; font-size: 14px; } .from { text-align: right; } .from .name { font-weight: bold; text-transform: none; } .l { font-size: 12px; }
.title { text-align: center; font-size: 20px; margin: 0 0 26px; } .meta { font-size: 14px; line-height: 1.7; margin-bottom: 26px; white-space: pre; }
.items { width: 100%; font-size: 14px; } .items th { text-align: left; border-top: 1px solid #111; border-bottom: 1px solid #111; padding: 4px; font-weight: normal; } .items th.n { text-align: right; } .items td { padding: 4px; }
.totals { margin-top: 22px; margin-left: 330px; font-size: 14px; line-height: 1.8; white-space: pre; } .totals div:last-child { font-weight: bold; border-top: 1px solid #111; }
.foot { position: absolute; bottom: 40px; left: 64px; right: 64px; font-size: 11px; border-top: 1px solid #111; padding-top: 6px; }`,
    `<div class="top"><div><div class="l">${p.v.billTo}:</div><div>${escape(inv.customer)}</div></div>
<div class="from"><div class="l">${p.v.vendor}:</div><div class="name">${escape(inv.vendor)}</div>${inv.vendorLines.map((l) => `<div>${escape(l)}</div>`).join('')}<div>${wordsOf(TAX_REG, p.v)} ${reg}</div></div></div>
<div class="title">${p.v.invoiceTitle}</div>
<div class="meta">${meta.map(([l, v]) => lead(l!, v!)).join('')}</div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<div class="totals">${lead(p.v.subtotal, p.money(inv.subtotal), 22)}${lead(p.v.tax(inv.taxRate), p.money(inv.tax), 22)}${lead(p.v.total, p.money(inv.total), 22)}</div>
<p style="font-size:12px;margin-top:30px">${escape(p.v.thanks)}</p>
<div class="foot">${wordsOf(BANK, p.v)[0]}: IBAN GB29 NWBK 6016 1331 9268 19 · BIC NWBKGB2L · ${wordsOf(BANK, p.v)[1]}: ${inv.invoiceNumber}</div>`,
  );
}

const COMB_HINT = { en: ['Please write in capitals, one character per box.', 'DD', 'MM', 'YYYY', 'Tick one'], de: ['Bitte in Druckbuchstaben, ein Zeichen je Kästchen.', 'TT', 'MM', 'JJJJ', 'Bitte ankreuzen'], fr: ['Écrire en majuscules, un caractère par case.', 'JJ', 'MM', 'AAAA', 'Cocher une case'] } as const;

/** Held-out-10: a claim form with one character per box (comb fields) for the cover number, the phone and the date (day, month, year in groups with a guide under them), the kind of claim ticked in a column of its own. */
function comb(claim: VarietyClaim, p: Printed): string {
  const boxes = (text: string): string => [...text].map((ch) => `<span class="cb">${ch === ' ' ? '&nbsp;' : escape(ch)}</span>`).join('');
  const hint = wordsOf(COMB_HINT, p.v);
  const [y, m, d] = claim.incidentDate.split('-');
  const date = `<span class="grp">${boxes(d!)}<i>${hint[1]}</i></span><span class="grp">${boxes(m!)}<i>${hint[2]}</i></span><span class="grp">${boxes(y!)}<i>${hint[3]}</i></span>`;
  const row = (label: string, value: string): string => `<div class="row"><div class="l">${label}</div><div class="v">${value}</div></div>`;
  const ticks = (['Auto', 'Home', 'Travel'] as const).map((t) => `<tr><td>${p.v.claimTypes[t]}</td><td class="t">${t === claim.claimType ? '✓' : ''}</td></tr>`).join('');
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `h1 { font-size: 20px; letter-spacing: 2px; margin: 0 0 6px; } .hint { font-size: 11px; color: #444; margin-bottom: 24px; }
.row { margin-bottom: 16px; } .l { font-size: 12px; font-weight: bold; margin-bottom: 4px; } .v { font-size: 15px; }
.cb { display: inline-block; width: 20px; height: 24px; line-height: 24px; border: 1px solid #777; text-align: center; margin-right: -1px; font-family: "DejaVu Sans Mono", monospace; }
.grp { display: inline-block; position: relative; margin-right: 14px; padding-bottom: 14px; } .grp i { position: absolute; left: 0; bottom: 0; font-size: 9px; color: #666; font-style: normal; }
.box { border: 1px solid #777; padding: 4px 8px; width: 420px; } .ticks td { border: 1px solid #777; padding: 3px 10px; font-size: 14px; } .ticks td.t { width: 24px; text-align: center; }
.lines { border-bottom: 1px solid #999; min-height: 60px; line-height: 26px; background: repeating-linear-gradient(transparent, transparent 25px, #bbb 26px); }`,
    `<h1>${p.v.claimTitle}</h1><div class="hint">${hint[0]}</div>
${row(p.v.policyNumber, boxes(claim.policyNumber))}${row(p.v.claimant, `<div class="box">${escape(claim.claimant)}</div>`)}${row(p.v.phone, boxes(claim.phone))}
${row(`${p.v.claimType} (${hint[4]})`, `<table class="ticks">${ticks}</table>`)}
${row(p.v.incidentDate, date)}${row(p.v.claimAmount, `<div class="box" style="width:200px">${p.money(claim.amount)}</div>`)}
${row(p.v.description, `<div class="lines">${escape(claim.description)}</div>`)}`,
  );
}

const RIBBON = {
  en: { customerNo: 'Customer no.', pos: 'Item', article: 'Part no.', register: 'Registered in England, company no. 08123456', director: 'Director: A. Whitfield', bank: 'Bank' },
  de: { customerNo: 'Kunden-Nr.', pos: 'Pos.', article: 'Art.-Nr.', register: 'Amtsgericht Köln HRB 12345', director: 'Geschäftsführer: A. Weber', bank: 'Bank' },
  fr: { customerNo: 'N° client', pos: 'Pos.', article: 'Réf. article', register: 'RCS Lyon B 412 345 678', director: 'Gérant : A. Morel', bank: 'Banque' },
} as const;

/** Held-out-11: an invoice in the German business-letter manner — a small return-address line over the customer, the metadata as a row of column headings with their values in the row beneath (a customer number beside the invoice number), an article-number column, register and bank details in a three-column footer. */
function ribbon(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(RIBBON, p.v);
  const customerNo = String(10000 + (Math.round(inv.total * 100) % 89999));
  const heads = [p.v.invoiceNumber, w.customerNo, p.v.invoiceDate, ...(inv.po ? [p.v.poNumber] : []), p.v.dueDate];
  const values = [inv.invoiceNumber, customerNo, p.date(inv.invoiceDate), ...(inv.po ? [inv.po] : []), p.date(inv.dueDate)];
  const rows = inv.items.map((i, n) => `<tr><td>${n + 1}</td><td>${String(300000 + Math.round(i.unitPrice * 37) % 600000)}</td><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.head { text-align: right; margin-bottom: 30px; } .head .name { font-size: 22px; letter-spacing: 3px; font-weight: bold; } .head div { font-size: 12px; }
.ret { font-size: 9px; text-decoration: underline; margin-bottom: 6px; } .to { font-size: 15px; margin-bottom: 40px; min-height: 60px; }
h1 { font-size: 20px; margin: 0 0 12px; } .ribbon { width: 100%; margin-bottom: 28px; } .ribbon th { font-size: 11px; font-weight: normal; color: #444; text-align: left; padding: 3px 6px; border-bottom: 1px solid #999; } .ribbon td { padding: 4px 6px; font-size: 14px; }
.items { width: 100%; font-size: 13px; } .items th { text-align: left; padding: 5px; border-bottom: 2px solid #222; } .items th.n { text-align: right; } .items td { padding: 5px; border-bottom: 1px solid #ddd; }
.totals { margin: 18px 0 0 auto; font-size: 14px; } .totals td { padding: 3px 8px; } .totals td:last-child { text-align: right; min-width: 130px; } .totals tr:last-child td { font-weight: bold; border-top: 2px solid #222; }
.foot { position: absolute; bottom: 34px; left: 64px; right: 64px; display: flex; justify-content: space-between; font-size: 9px; color: #333; border-top: 1px solid #999; padding-top: 6px; line-height: 1.4; }`,
    `<div class="head"><div class="name">${escape(inv.vendor)}</div>${inv.vendorLines.map((l) => `<div>${escape(l)}</div>`).join('')}</div>
<div class="ret">${escape(inv.vendor)} · ${escape(inv.vendorLines.join(' · '))}</div><div class="to">${escape(inv.customer)}</div>
<h1>${p.v.invoiceTitle}</h1>
<table class="ribbon"><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr><tr>${values.map((v) => `<td>${v}</td>`).join('')}</tr></table>
<table class="items"><tr><th>${w.pos}</th><th>${w.article}</th><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${rows}</table>
<table class="totals"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<p style="font-size:12px;margin-top:28px">${escape(p.v.thanks)}</p>
<div class="foot"><div>${escape(inv.vendor)}<br>${escape(inv.vendorLines.join(', '))}</div><div>${w.register}<br>${w.director}</div><div>${w.bank}: IBAN DE89 3704 0044 0532 0130 00<br>BIC COBADEFFXXX</div></div>`,
  );
}

const EMAIL = {
  en: { from: 'From', sent: 'Sent', to: 'To', subject: 'Subject', hello: 'Hello,', report: (type: string, label: string, nr: string) => `I need to report a ${type.toLowerCase()} claim under my ${label} ${nr}.`, when: (on: string, date: string) => `It happened ${on} ${date}.`, estimate: (label: string, amount: string) => `My ${label} of the damage is ${amount}.`, bye: 'Kind regards,' },
  de: { from: 'Von', sent: 'Gesendet', to: 'An', subject: 'Betreff', hello: 'Guten Tag,', report: (type: string, label: string, nr: string) => `ich möchte einen ${type}-Schaden zu meinem ${label} ${nr} melden.`, when: (on: string, date: string) => `Er ereignete sich ${on} ${date}.`, estimate: (label: string, amount: string) => `Meine ${label} des Schadens: ${amount}.`, bye: 'Viele Grüße' },
  fr: { from: 'De', sent: 'Envoyé', to: 'À', subject: 'Objet', hello: 'Bonjour,', report: (type: string, label: string, nr: string) => `je souhaite déclarer un sinistre « ${type} » sur mon ${label} ${nr}.`, when: (on: string, date: string) => `Il s’est produit ${on} ${date}.`, estimate: (label: string, amount: string) => `Mon ${label} du dommage : ${amount}.`, bye: 'Cordialement,' },
} as const;

/** Held-out-11: a claim that arrives as a printed e-mail — From / Sent / To / Subject headers (the date it was sent is not the date of the loss), the facts in running sentences, the phone number in the signature. */
function email(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(EMAIL, p.v);
  const sent = new Date(Date.parse(`${claim.incidentDate}T12:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
  const address = `${claim.claimant.toLowerCase().normalize('NFD').replace(/[^a-z ]/g, '').replace(/ /g, '.')}@mail.example`;
  const type = p.v.claimTypes[claim.claimType];
  const head = (label: string, value: string): string => `<tr><td class="k">${label}:</td><td>${value}</td></tr>`;
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.app { font-size: 11px; color: #555; border-bottom: 1px solid #ccc; padding-bottom: 6px; margin-bottom: 14px; } .hdr { font-size: 13px; margin-bottom: 22px; } .hdr td { padding: 2px 10px 2px 0; } .hdr td.k { font-weight: bold; }
.body p { margin: 0 0 12px; line-height: 1.5; font-size: 14px; } .sig { margin-top: 24px; font-size: 13px; line-height: 1.5; }`,
    `<div class="app">${escape(claim.claimant)}</div>
<table class="hdr">${head(w.from, `${escape(claim.claimant)} &lt;${address}&gt;`)}${head(w.sent, `${p.date(sent)} 09:14`)}${head(w.to, 'claims@insurer.example')}${head(w.subject, `${p.v.claimTitle}: ${escape(type)} – ${claim.policyNumber}`)}</table>
<div class="body"><p>${w.hello}</p><p>${escape(w.report(type, p.v.policyNumber, claim.policyNumber))} ${escape(w.when(p.v.incidentDate, p.date(claim.incidentDate)))}</p>
<p>${escape(claim.description)}</p><p>${escape(w.estimate(p.v.claimAmount, p.money(claim.amount)))}</p>
<div class="sig">${w.bye}<br>${escape(claim.claimant)}<br>${p.v.phone}: ${claim.phone}</div></div>`,
  );
}

const SUBJECT = {
  en: { dear: 'Dear Sir or Madam,', intro: 'for the goods and services below we charge you as follows:', place: 'Bristol', reg: 'Company no. 07345612 · VAT GB 284 9013 66', bank: 'Account 20-45-77 / 41236985' },
  de: { dear: 'Sehr geehrte Damen und Herren,', intro: 'für die folgenden Lieferungen und Leistungen berechnen wir Ihnen:', place: 'Köln', reg: 'HRB 98765 · USt-IdNr. DE 298 456 112', bank: 'Konto DE12 3705 0198 0012 3456 78' },
  fr: { dear: 'Madame, Monsieur,', intro: 'nous vous facturons les fournitures et prestations suivantes :', place: 'Lyon', reg: 'SIRET 412 345 678 00021 · TVA FR 12 412345678', bank: 'IBAN FR76 3000 6000 0112 3456 7890 189' },
} as const;

/** Held-out-12: an invoice as a business letter whose number and date stand in a subject line ("Invoice no. … dated …"), the order as a reference sentence, the totals as a row of headings over a row of amounts and the due date in a payment-terms sentence; the seller named only in the letterhead and the footer. */
function subject(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(SUBJECT, p.v);
  const heads = [p.v.subtotal, p.v.tax(inv.taxRate), p.v.total];
  const sums = [inv.subtotal, inv.tax, inv.total].map((n) => p.money(n));
  return page(
    '"DejaVu Serif", "Liberation Serif", serif',
    `.lh { display: flex; justify-content: space-between; border-bottom: 3px double #333; padding-bottom: 10px; margin-bottom: 26px; } .lh .name { font-size: 20px; font-variant: small-caps; } .lh .addr { font-size: 11px; text-align: right; line-height: 1.5; }
.to { font-size: 14px; margin-bottom: 34px; line-height: 1.5; } .subj { font-weight: bold; font-size: 15px; margin-bottom: 6px; } .ref { font-size: 13px; margin-bottom: 20px; }
p { font-size: 14px; margin: 0 0 12px; } .items { width: 100%; font-size: 13px; margin: 8px 0 18px; } .items th { text-align: left; border-bottom: 1px solid #333; padding: 4px; } .items th.n { text-align: right; } .items td { padding: 4px; }
.sums { width: 100%; font-size: 13px; margin-bottom: 22px; } .sums th { font-weight: normal; border-bottom: 1px solid #333; padding: 4px; text-align: right; } .sums td { text-align: right; padding: 4px; } .sums td:last-child { font-weight: bold; }
.foot { position: absolute; bottom: 34px; left: 64px; right: 64px; font-size: 9px; color: #444; text-align: center; border-top: 1px solid #aaa; padding-top: 6px; line-height: 1.5; }`,
    `<div class="lh"><div class="name">${escape(inv.vendor)}</div><div class="addr">${inv.vendorLines.map(escape).join('<br>')}</div></div>
<div class="to">${escape(inv.customer)}</div>
<div class="subj">${p.v.invoiceNumber} ${inv.invoiceNumber}, ${p.v.invoiceDate} ${p.date(inv.invoiceDate)}</div>
${inv.po ? `<div class="ref">${p.v.poNumber} ${inv.po}</div>` : '<div class="ref">&nbsp;</div>'}
<p>${w.dear}</p><p>${w.intro}</p>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="sums"><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr><tr>${sums.map((v) => `<td>${v}</td>`).join('')}</tr></table>
<p>${p.v.dueDate} ${p.date(inv.dueDate)}.</p><p>${escape(p.v.thanks)}</p>
<div class="foot">${escape(inv.vendor)} · ${escape(inv.vendorLines.join(' · '))} · ${w.place}<br>${w.reg} · ${w.bank}</div>`,
  );
}

const WEBFORM = {
  en: { site: 'Harbourside Mutual · My account', out: 'Log out', crumbs: 'Home › Claims › New claim › Check your answers', required: 'Fields marked * are required.', back: 'Back', submit: 'Submit claim', printed: 'Printed' },
  de: { site: 'Rheinische Versicherung · Mein Konto', out: 'Abmelden', crumbs: 'Start › Schäden › Neuer Schaden › Angaben prüfen', required: 'Mit * gekennzeichnete Felder sind Pflichtfelder.', back: 'Zurück', submit: 'Schaden absenden', printed: 'Gedruckt am' },
  fr: { site: 'Mutuelle du Rhône · Mon espace', out: 'Déconnexion', crumbs: 'Accueil › Sinistres › Nouveau sinistre › Vérifier', required: 'Les champs marqués * sont obligatoires.', back: 'Retour', submit: 'Envoyer la déclaration', printed: 'Imprimé le' },
} as const;

/** Held-out-12: a claim printed from an insurer's web form — site navigation and breadcrumbs, "*" required markers, each answer in an input box right of its label, the kind of loss as a select box, buttons, and a "printed on" date in the footer that is not the date of the loss. */
function webform(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(WEBFORM, p.v);
  const printedOn = new Date(Date.parse(`${claim.incidentDate}T12:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10);
  const row = (label: string, required: boolean, input: string): string => `<tr><td class="l">${label}${required ? ' <span class="req">*</span>' : ''}</td><td>${input}</td></tr>`;
  const box = (value: string, width = 300): string => `<div class="in" style="width:${width}px">${value}</div>`;
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.bar { display: flex; justify-content: space-between; background: #1d3b5a; color: #fff; font-size: 12px; padding: 8px 12px; margin: -20px -20px 10px; } .crumbs { font-size: 11px; color: #555; margin-bottom: 18px; }
h1 { font-size: 22px; margin: 0 0 6px; } .hint { font-size: 12px; color: #555; margin-bottom: 18px; } .req { color: #b00; }
.f td { padding: 7px 10px 7px 0; vertical-align: top; } .f td.l { width: 230px; text-align: right; font-size: 13px; padding-top: 12px; }
.in { border: 1px solid #888; border-radius: 3px; padding: 6px 8px; font-size: 14px; min-height: 18px; } .sel { display: flex; justify-content: space-between; width: 220px; border: 1px solid #888; border-radius: 3px; padding: 6px 8px; font-size: 14px; }
.area { border: 1px solid #888; border-radius: 3px; padding: 6px 8px; font-size: 14px; width: 360px; min-height: 70px; line-height: 1.4; }
.btn { display: inline-block; border: 1px solid #1d3b5a; border-radius: 3px; padding: 6px 16px; margin: 18px 10px 0 0; font-size: 13px; } .btn.p { background: #1d3b5a; color: #fff; }
.foot { position: absolute; bottom: 30px; left: 64px; right: 64px; font-size: 10px; color: #666; display: flex; justify-content: space-between; }`,
    `<div class="bar"><span>${w.site}</span><span>${w.out}</span></div><div class="crumbs">${w.crumbs}</div>
<h1>${p.v.claimTitle}</h1><div class="hint">${w.required}</div>
<table class="f">${row(p.v.policyNumber, true, box(claim.policyNumber, 220))}${row(p.v.claimant, true, box(escape(claim.claimant)))}
${row(p.v.claimType, true, `<div class="sel"><span>${escape(p.v.claimTypes[claim.claimType])}</span><span>▾</span></div>`)}
${row(p.v.incidentDate, true, box(p.date(claim.incidentDate), 160))}${row(p.v.claimAmount, true, box(p.money(claim.amount), 180))}
${row(p.v.phone, false, box(claim.phone, 200))}${row(p.v.description, true, `<div class="area">${escape(claim.description)}</div>`)}</table>
<div style="margin-left:240px"><span class="btn">${w.back}</span><span class="btn p">${w.submit}</span></div>
<div class="foot"><span>${w.site.split(' · ')[0]}</span><span>${w.printed} ${p.date(printedOn)} 16:42</span></div>`,
  );
}

const STATEMENT = {
  en: { account: 'Account number', due: 'Amount due', previous: 'Previous balance', payment: 'Payment received – thank you', forward: 'Balance brought forward', charges: 'New charges this period', slip: 'Please detach and return this part with your payment', enclosed: 'Amount enclosed', page: 'Page 1 of 1', phone: 'Questions? Call 0800 555 014' },
  de: { account: 'Kundennummer', due: 'Offener Betrag', previous: 'Saldo Vormonat', payment: 'Zahlungseingang – vielen Dank', forward: 'Übertrag', charges: 'Neue Leistungen', slip: 'Bitte abtrennen und mit Ihrer Zahlung zurücksenden', enclosed: 'Überwiesener Betrag', page: 'Seite 1 von 1', phone: 'Fragen? 0800 555 014' },
  fr: { account: 'N° de client', due: 'Somme à payer', previous: 'Solde précédent', payment: 'Paiement reçu – merci', forward: 'Report', charges: 'Nouvelles prestations', slip: 'À détacher et à retourner avec votre paiement', enclosed: 'Montant joint', page: 'Page 1 sur 1', phone: 'Une question ? 0800 555 014' },
} as const;

/** Held-out-13: an invoice as a utility-style account statement — an account number beside the bill number, the amount due and its date in a panel at the top, a previous balance and the payment that settled it before the new charges, and a tear-off slip repeating the account, the bill number and the total beside an empty "amount enclosed" box. */
function statement(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(STATEMENT, p.v);
  // Another number and another amount on the page, derived from the invoice so the page stays reproducible.
  const account = `${inv.invoiceNumber.replace(/\D/g, '').slice(0, 4).padEnd(4, '7')} ${String(Math.round(inv.total * 37) % 100000).padStart(5, '0')}`;
  const previous = Math.round((inv.total * 0.73 + 17.4) * 100) / 100;
  const meta = [[w.account, account], [p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : [])];
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.top { display: flex; justify-content: space-between; margin-bottom: 20px; } .brand { font-size: 24px; font-weight: bold; color: #0b5d3b; } .addr { font-size: 11px; color: #444; line-height: 1.5; }
.meta td { font-size: 12px; padding: 2px 0 2px 14px; } .meta td:first-child { color: #555; }
.title { font-size: 18px; margin: 6px 0 14px; } .holder { font-size: 13px; margin-bottom: 16px; } .holder span { color: #555; }
.panel { display: flex; gap: 0; border: 2px solid #0b5d3b; margin-bottom: 22px; } .panel div { flex: 1; padding: 10px 14px; } .panel .k { font-size: 11px; color: #555; } .panel .v { font-size: 20px; font-weight: bold; }
.acct { width: 100%; font-size: 12px; margin-bottom: 14px; } .acct td { padding: 3px 4px; } .acct td.n { text-align: right; }
h3 { font-size: 13px; margin: 10px 0 4px; border-bottom: 1px solid #0b5d3b; padding-bottom: 3px; }
.items { width: 100%; font-size: 12px; } .items th { text-align: left; color: #555; font-weight: normal; padding: 3px 4px; } .items th.n { text-align: right; } .items td { padding: 3px 4px; }
.sum { margin: 10px 0 0 auto; font-size: 12px; } .sum td { padding: 3px 4px 3px 30px; text-align: right; } .sum tr:last-child td { font-weight: bold; border-top: 1px solid #333; }
.slip { position: absolute; bottom: 40px; left: 64px; right: 64px; border-top: 1px dashed #333; padding-top: 10px; font-size: 11px; } .slip table td { padding: 2px 18px 2px 0; } .box { display: inline-block; width: 120px; height: 18px; border: 1px solid #333; vertical-align: middle; }
.pg { position: absolute; bottom: 150px; right: 64px; font-size: 10px; color: #666; }`,
    `<div class="top"><div><div class="brand">${escape(inv.vendor)}</div><div class="addr">${inv.vendorLines.map(escape).join('<br>')}<br>${w.phone}</div></div>
<table class="meta">${meta.map(([l, v]) => `<tr><td>${l}</td><td>${v}</td></tr>`).join('')}</table></div>
<div class="title">${p.v.invoiceTitle}</div><div class="holder"><span>${p.v.billTo}:</span> ${escape(inv.customer)}</div>
<div class="panel"><div><div class="k">${w.due}</div><div class="v">${p.money(inv.total)}</div></div><div><div class="k">${p.v.dueDate}</div><div class="v">${p.date(inv.dueDate)}</div></div></div>
<table class="acct"><tr><td>${w.previous}</td><td class="n">${p.money(previous)}</td></tr><tr><td>${w.payment}</td><td class="n">−${p.money(previous)}</td></tr><tr><td>${w.forward}</td><td class="n">${p.money(0)}</td></tr></table>
<h3>${w.charges}</h3>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="sum"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<div class="pg">${w.page} · ${escape(p.v.thanks)}</div>
<div class="slip"><div style="margin-bottom:6px">✂ ${w.slip}</div><table><tr><td><b>${escape(inv.vendor)}</b></td><td>${w.account} ${account}</td><td>${p.v.invoiceNumber} ${inv.invoiceNumber}</td></tr>
<tr><td>${w.due} ${p.money(inv.total)}</td><td>${w.enclosed} <span class="box"></span></td><td></td></tr></table></div>`,
  );
}

const CALLNOTE = {
  en: { system: 'ClaimLine · Call record', call: 'Call received', agent: 'Agent', since: 'Customer since', caller: 'Caller details', policy: 'Policy details', loss: 'Loss reported', earlier: 'Earlier claims on this policy', paid: 'Paid', date: 'Date', kind: 'Cover', status: 'Closed', printed: 'Printed by' },
  de: { system: 'SchadenTelefon · Gesprächsprotokoll', call: 'Anruf eingegangen', agent: 'Bearbeiter', since: 'Kunde seit', caller: 'Anrufer-Daten', policy: 'Vertragsdaten', loss: 'Gemeldeter Schaden', earlier: 'Frühere Schäden zu diesem Vertrag', paid: 'Gezahlt', date: 'Datum', kind: 'Sparte', status: 'Abgeschlossen', printed: 'Gedruckt von' },
  fr: { system: 'Sinistres Direct · Fiche d’appel', call: 'Appel reçu le', agent: 'Conseiller', since: 'Client depuis', caller: 'Appelant', policy: 'Contrat', loss: 'Sinistre déclaré', earlier: 'Sinistres antérieurs sur ce contrat', paid: 'Réglé', date: 'Date', kind: 'Garantie', status: 'Clos', printed: 'Imprimé par' },
} as const;

/** Held-out-13: a claim taken down by phone and printed from a call-centre system — the date of the call, the agent, the "customer since" date, an earlier claim on the same policy with its own date and amount paid, and the call notes; every fact in a label-above-value cell. */
function callnote(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(CALLNOTE, p.v);
  const day = (offset: number): string => new Date(Date.parse(`${claim.incidentDate}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const earlierType = claim.claimType === 'Auto' ? 'Home' : 'Auto';
  const earlierPaid = Math.round((claim.amount * 0.41 + 55) * 100) / 100;
  const cell = (label: string, value: string): string => `<div class="c"><div class="k">${label}</div><div class="v">${value}</div></div>`;
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.sys { display: flex; justify-content: space-between; background: #eef1f4; border: 1px solid #c5ccd3; font-size: 12px; padding: 7px 10px; margin-bottom: 16px; }
h1 { font-size: 20px; margin: 0 0 14px; } h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 1px; color: #3b4a5a; border-bottom: 1px solid #c5ccd3; padding-bottom: 3px; margin: 16px 0 8px; }
.row { display: flex; gap: 16px; } .c { flex: 1; margin-bottom: 8px; } .k { font-size: 11px; color: #5b6670; margin-bottom: 2px; } .v { font-size: 14px; }
.prev { width: 100%; font-size: 12px; } .prev th { text-align: left; color: #5b6670; font-weight: normal; padding: 3px; } .prev td { padding: 3px; }
.notes { font-size: 14px; line-height: 1.5; border-left: 3px solid #c5ccd3; padding-left: 10px; }
.foot { position: absolute; bottom: 30px; left: 64px; right: 64px; font-size: 10px; color: #666; }`,
    `<div class="sys"><span>${w.system} CR-${claim.phone.replace(/\D/g, '').slice(-6)}</span><span>${w.agent}: M. Okafor (4471)</span></div>
<h1>${p.v.claimTitle}</h1>
<div class="row">${cell(w.call, `${p.date(day(1))} 10:32`)}${cell(w.agent, 'M. Okafor')}</div>
<h2>${w.caller}</h2><div class="row">${cell(p.v.claimant, escape(claim.claimant))}${cell(p.v.phone, claim.phone)}</div>
<h2>${w.policy}</h2><div class="row">${cell(p.v.policyNumber, claim.policyNumber)}${cell(w.since, p.date(day(-1130)))}</div>
<h2>${w.loss}</h2><div class="row">${cell(p.v.claimType, escape(p.v.claimTypes[claim.claimType]))}${cell(p.v.incidentDate, p.date(claim.incidentDate))}${cell(p.v.claimAmount, p.money(claim.amount))}</div>
<h2>${w.earlier}</h2><table class="prev"><tr><th>${w.date}</th><th>${w.kind}</th><th>${w.paid}</th><th></th></tr><tr><td>${p.date(day(-412))}</td><td>${escape(p.v.claimTypes[earlierType])}</td><td>${p.money(earlierPaid)}</td><td>${w.status}</td></tr></table>
<h2>${p.v.description}</h2><div class="notes">${escape(claim.description)}</div>
<div class="foot">${w.printed} M. Okafor · ${p.date(day(1))} 10:47</div>`,
  );
}

const FREIGHT = {
  en: { shipper: 'Shipper', account: 'Account', shipment: (awb: string, kg: number, pcs: number, d: string) => `AWB ${awb} · gross weight ${kg} kg · ${pcs} pieces · shipped ${d}`, code: 'Tax code', equivalent: (amount: string, rate: string) => `Equivalent ${amount} at ${rate} (for information only)`, issued: 'Issued by', bank: 'Bank', page: 'Page 1/1' },
  de: { shipper: 'Absender', account: 'Konto', shipment: (awb: string, kg: number, pcs: number, d: string) => `AWB ${awb} · Bruttogewicht ${kg} kg · ${pcs} Colli · versandt ${d}`, code: 'St.-Schl.', equivalent: (amount: string, rate: string) => `Gegenwert ${amount} zum Kurs ${rate} (nur zur Information)`, issued: 'Ausgestellt von', bank: 'Bank', page: 'Seite 1/1' },
  fr: { shipper: 'Expéditeur', account: 'Compte', shipment: (awb: string, kg: number, pcs: number, d: string) => `LTA ${awb} · poids brut ${kg} kg · ${pcs} colis · expédié le ${d}`, code: 'Code TVA', equivalent: (amount: string, rate: string) => `Contre-valeur ${amount} au taux de ${rate} (à titre indicatif)`, issued: 'Émis par', bank: 'Banque', page: 'Page 1/1' },
} as const;

/** Held-out-14: a freight forwarder's invoice — the carrier's name only in a logo block and the footer, a shipper and a consignee block that both name other companies, the metadata in one line divided by bars, a shipment line with its own date, and the total repeated in another currency. */
function freight(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(FREIGHT, p.v);
  const digits = inv.invoiceNumber.replace(/\D/g, '');
  const shipped = new Date(Date.parse(`${inv.invoiceDate}T12:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  const awb = `${digits.slice(0, 3).padEnd(3, '1')}-${String(Math.round(inv.total * 13) % 10000).padStart(4, '0')} ${digits.slice(-4).padStart(4, '5')}`;
  const shipper = ['Marlow Components Ltd', 'Oberland Präzision AG', 'Ateliers Rivière SA'][Math.round(inv.total) % 3]!;
  // The other currency: euros for every invoice not in euros (none of this set's are).
  const rate = 1.0842 - (Math.round(inv.total) % 7) / 1000;
  const equivalent = `EUR ${(Math.round(inv.total / rate * 100) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
  const meta = [[p.v.invoiceNumber, inv.invoiceNumber], [p.v.invoiceDate, p.date(inv.invoiceDate)], ...(inv.po ? [[p.v.poNumber, inv.po]] : []), [w.account, `C-${digits.slice(-5)}`]];
  const rows = inv.items.map((i, n) => `<tr><td>${escape(i.description)}</td><td>${n % 2 ? 'B' : 'A'}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.head { display: flex; justify-content: space-between; margin-bottom: 18px; } .parties { display: flex; gap: 30px; font-size: 12px; line-height: 1.45; } .parties .k { font-size: 10px; text-transform: uppercase; color: #666; }
.logo { text-align: right; } .logo .n { font-size: 22px; font-weight: bold; color: #7a1f1f; letter-spacing: 1px; } .logo .a { font-size: 10px; color: #555; line-height: 1.4; }
h1 { font-size: 18px; margin: 4px 0 8px; } .strip { font-size: 11.5px; border-top: 1px solid #999; border-bottom: 1px solid #999; padding: 5px 0; margin-bottom: 8px; }
.ship { font-size: 11px; color: #444; margin-bottom: 14px; }
.items { width: 100%; font-size: 12px; border-collapse: collapse; } .items th { text-align: left; font-size: 11px; color: #555; border-bottom: 1px solid #999; padding: 3px; } .items th.n, .items td.n { text-align: right; } .items td { padding: 3px; }
.sum { margin: 12px 0 0 auto; font-size: 12px; } .sum td { padding: 2px 4px 2px 26px; text-align: right; } .sum tr:last-child td { font-weight: bold; }
.eq { text-align: right; font-size: 10.5px; color: #555; margin-top: 4px; } .terms { margin-top: 22px; font-size: 12px; }
.foot { position: absolute; bottom: 34px; left: 64px; right: 64px; font-size: 9.5px; color: #666; border-top: 1px solid #ccc; padding-top: 6px; }`,
    `<div class="head"><div class="parties"><div><div class="k">${w.shipper}</div>${shipper}<br>Dock Road 4<br>Felixstowe IP11 3SY</div><div><div class="k">${p.v.billTo}</div>${escape(inv.customer)}<br>Receiving bay 2</div></div>
<div class="logo"><div class="n">${escape(inv.vendor.toUpperCase())}</div><div class="a">${inv.vendorLines.map(escape).join(' · ')}</div></div></div>
<h1>${p.v.invoiceTitle}</h1>
<div class="strip">${meta.map(([l, v]) => `${l}: ${v}`).join(' &nbsp;|&nbsp; ')}</div>
<div class="ship">${w.shipment(awb, 40 + (Math.round(inv.total) % 500), 1 + (Math.round(inv.total) % 9), p.date(shipped))}</div>
<table class="items"><tr><th>${p.v.item}</th><th>${w.code}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${rows}</table>
<table class="sum"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<div class="eq">${w.equivalent(equivalent, rate.toFixed(4))}</div>
<div class="terms">${p.v.dueDate}: ${p.date(inv.dueDate)}</div>
<div class="foot">${w.issued} ${escape(inv.vendor)}, ${inv.vendorLines.map(escape).join(', ')} · ${w.bank} IBAN GB29 NWBK 6016 1331 9268 19 · ${escape(p.v.thanks)} · ${w.page}</div>`,
  );
}

const ESTIMATE = {
  en: { insurer: 'Harbourside Mutual', address: 'Address', report: 'Police or incident report', ref: (d: string) => `Ref. 2291/26 of ${d}`, estimate: 'Repair estimate', parts: 'Parts', labour: 'Labour', vat: 'VAT on repairs', total: 'Total estimate', excess: 'Less policy excess', declaration: 'I declare the above is true.', signed: 'Signed', at: 'at' },
  de: { insurer: 'Hafenland Versicherung a.G.', address: 'Anschrift', report: 'Polizeiliche Meldung', ref: (d: string) => `Az. 2291/26 vom ${d}`, estimate: 'Kostenvoranschlag', parts: 'Teile', labour: 'Arbeitslohn', vat: 'MwSt. auf Reparatur', total: 'Summe Voranschlag', excess: 'abzgl. Selbstbeteiligung', declaration: 'Ich versichere die Richtigkeit der Angaben.', signed: 'Unterschrieben', at: 'um' },
  fr: { insurer: 'Mutuelle du Port', address: 'Adresse', report: 'Procès-verbal ou constat', ref: (d: string) => `Réf. 2291/26 du ${d}`, estimate: 'Devis de réparation', parts: 'Pièces', labour: 'Main-d’œuvre', vat: 'TVA sur réparation', total: 'Total du devis', excess: 'Moins franchise', declaration: 'Je certifie l’exactitude des informations ci-dessus.', signed: 'Signé', at: 'à' },
} as const;

/** Held-out-14: a claim form of numbered questions, each answer in a second column, with a repair estimate whose total less the excess is the amount claimed; a report reference and the signature carry dates of their own. */
function estimate(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(ESTIMATE, p.v);
  const day = (offset: number): string => new Date(Date.parse(`${claim.incidentDate}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const excess = [150, 250, 500][Math.round(claim.amount) % 3]!;
  const whole = Math.round((claim.amount + excess) * 100) / 100;
  const parts = Math.round(whole * 0.52 * 100) / 100;
  const labour = Math.round(whole * 0.31 * 100) / 100;
  const vat = Math.round((whole - parts - labour) * 100) / 100;
  const questions: [string, string][] = [
    [p.v.policyNumber, claim.policyNumber],
    [p.v.claimant, escape(claim.claimant)],
    [w.address, '22 Quayside Walk, Harwich CO12 3HH'],
    [p.v.phone, claim.phone],
    [p.v.claimType, escape(p.v.claimTypes[claim.claimType])],
    [p.v.incidentDate, `${p.date(claim.incidentDate)}, ${w.at} 14:20`],
    [w.report, w.ref(p.date(day(2)))],
    [p.v.description, escape(claim.description)],
  ];
  return page(
    '"Liberation Serif", "Times New Roman", serif',
    `.ins { font-size: 13px; color: #234; font-weight: bold; letter-spacing: 1px; } h1 { font-size: 20px; margin: 4px 0 16px; }
.q { width: 100%; border-collapse: collapse; font-size: 13px; } .q td { border: 1px solid #888; padding: 5px 7px; vertical-align: top; } .q td.no { width: 22px; text-align: right; color: #555; } .q td.l { width: 42%; background: #f3f3f3; }
h2 { font-size: 14px; margin: 20px 0 6px; } .est { font-size: 13px; border-collapse: collapse; } .est td { padding: 3px 8px; } .est td.n { text-align: right; } .est tr.t td { border-top: 1px solid #333; } .est tr.c td { font-weight: bold; border-top: 2px solid #333; }
.decl { margin-top: 26px; font-size: 12px; }`,
    `<div class="ins">${w.insurer}</div><h1>${p.v.claimTitle}</h1>
<table class="q">${questions.map(([l, v], n) => `<tr><td class="no">${n + 1}.</td><td class="l">${l}</td><td>${v}</td></tr>`).join('')}</table>
<h2>${w.estimate}</h2>
<table class="est"><tr><td>${w.parts}</td><td class="n">${p.money(parts)}</td></tr><tr><td>${w.labour}</td><td class="n">${p.money(labour)}</td></tr><tr><td>${w.vat}</td><td class="n">${p.money(vat)}</td></tr>
<tr class="t"><td>${w.total}</td><td class="n">${p.money(whole)}</td></tr><tr><td>${w.excess}</td><td class="n">−${p.money(excess)}</td></tr><tr class="c"><td>${p.v.claimAmount}</td><td class="n">${p.money(claim.amount)}</td></tr></table>
<div class="decl">${w.declaration}<br>${w.signed}: ${escape(claim.claimant)} · ${p.date(day(3))}</div>`,
  );
}

const SIDEBAR = {
  en: { details: 'Invoice details', discount: 'Disc.', page: 'Page 1 of 1', reg: 'Company no.' },
  de: { details: 'Rechnungsangaben', discount: 'Rabatt', page: 'Seite 1 von 1', reg: 'HRB' },
  fr: { details: 'Détails de la facture', discount: 'Remise', page: 'Page 1 sur 1', reg: 'RCS' },
} as const;

/** Held-out-15: the supplier and the invoice's details in a coloured sidebar (labels over values), the items with a discount column beside the unit price, the client and the totals in the main column. */
function sidebar(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(SIDEBAR, p.v);
  const detail = (label: string, value: string): string => `<div class="k">${label}</div><div class="v">${value}</div>`;
  const rows = inv.items.map((i, n) => {
    const off = [0, 5, 10, 0, 15][n % 5]!;
    // The printed list price is the unit price before the discount, so the line value stays quantity × unit price.
    const list = Math.round((i.unitPrice / (1 - off / 100)) * 100) / 100;
    return `<tr><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(list)}</td><td class="n">${off ? `${off} %` : '–'}</td><td class="n">${p.money(i.amount)}</td></tr>`;
  }).join('');
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.side { position: absolute; top: 0; left: 0; bottom: 0; width: 190px; background: #1f3a5f; color: #fff; padding: 40px 20px; box-sizing: border-box; }
.side .name { font-size: 17px; font-weight: bold; margin-bottom: 6px; } .side .addr { font-size: 10px; line-height: 1.5; margin-bottom: 28px; color: #dbe4f0; }
.side h4 { font-size: 10px; text-transform: uppercase; letter-spacing: 1px; color: #9fb6d4; margin: 0 0 10px; } .side .k { font-size: 9.5px; color: #9fb6d4; } .side .v { font-size: 12px; margin-bottom: 10px; }
.side .reg { position: absolute; bottom: 30px; left: 20px; font-size: 9px; color: #9fb6d4; }
.main { margin-left: 150px; } h1 { font-size: 22px; margin: 0 0 16px; color: #1f3a5f; } .client { font-size: 12px; margin-bottom: 22px; line-height: 1.5; } .client span { color: #666; font-size: 10px; text-transform: uppercase; }
.items { width: 100%; font-size: 11.5px; border-collapse: collapse; } .items th { font-size: 10px; color: #555; text-align: left; border-bottom: 2px solid #1f3a5f; padding: 4px 3px; } .items th.n, .items td.n { text-align: right; } .items td { padding: 4px 3px; border-bottom: 1px solid #e2e6ec; }
.sum { margin: 14px 0 0 auto; font-size: 12px; } .sum td { padding: 3px 4px 3px 28px; text-align: right; } .sum tr:last-child td { font-weight: bold; font-size: 14px; color: #1f3a5f; }
.note { margin-top: 26px; font-size: 10px; color: #666; } .pg { position: absolute; bottom: 30px; right: 64px; font-size: 9px; color: #888; }`,
    `<div class="side"><div class="name">${escape(inv.vendor)}</div><div class="addr">${inv.vendorLines.map(escape).join('<br>')}</div>
<h4>${w.details}</h4>${detail(p.v.invoiceNumber, inv.invoiceNumber)}${detail(p.v.invoiceDate, p.date(inv.invoiceDate))}${detail(p.v.dueDate, p.date(inv.dueDate))}${inv.po ? detail(p.v.poNumber, inv.po) : ''}
<div class="reg">${w.reg} ${inv.invoiceNumber.replace(/\D/g, '').slice(-6).padStart(6, '4')}</div></div>
<div class="main"><h1>${p.v.invoiceTitle}</h1><div class="client"><span>${p.v.billTo}</span><br>${escape(inv.customer)}</div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${w.discount}</th><th class="n">${p.v.amount}</th></tr>${rows}</table>
<table class="sum"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<div class="note">${escape(p.v.thanks)}</div></div><div class="pg">${w.page}</div>`,
  );
}

const BROKER = {
  en: { broker: 'Meridian Risk Partners LLP', tagline: 'Independent insurance brokers', our: 'Our ref', sent: 'Submitted', handler: 'Account handler', to: 'To: Claims Department', facts: 'Key facts', excess: 'Policy excess', contact: 'Please contact the account handler with any questions.' },
  de: { broker: 'Meridian Versicherungsmakler GmbH', tagline: 'Unabhängige Versicherungsmakler', our: 'Unser Zeichen', sent: 'Eingereicht', handler: 'Kundenbetreuer', to: 'An: Schadenabteilung', facts: 'Eckdaten', excess: 'Selbstbehalt', contact: 'Rückfragen bitte an den Kundenbetreuer.' },
  fr: { broker: 'Méridien Courtage SAS', tagline: 'Courtier indépendant en assurances', our: 'Notre réf.', sent: 'Transmis le', handler: 'Chargé de compte', to: 'À : Service sinistres', facts: 'Faits essentiels', excess: 'Franchise', contact: 'Pour toute question, contactez le chargé de compte.' },
} as const;

/** Held-out-15: a broker's claim submission — the broker's letterhead with its own reference and date, an account handler named beside the insured, the key facts with right-aligned labels and a colon column, an excess beside the reserve requested. */
function broker(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(BROKER, p.v);
  const day = (offset: number): string => new Date(Date.parse(`${claim.incidentDate}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const excess = [100, 250, 500][Math.round(claim.amount) % 3]!;
  const facts: [string, string][] = [
    [p.v.policyNumber, claim.policyNumber],
    [p.v.claimant, escape(claim.claimant)],
    [p.v.phone, claim.phone],
    [p.v.claimType, escape(p.v.claimTypes[claim.claimType])],
    [p.v.incidentDate, p.date(claim.incidentDate)],
    [p.v.claimAmount, p.money(claim.amount)],
    [w.excess, p.money(excess)],
    [p.v.description, escape(claim.description)],
  ];
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.lh { display: flex; justify-content: space-between; border-bottom: 3px solid #6b2d5c; padding-bottom: 10px; margin-bottom: 18px; } .lh .n { font-size: 19px; font-weight: bold; color: #6b2d5c; } .lh .t { font-size: 10px; color: #666; }
.lh table td { font-size: 11px; padding: 1px 0 1px 12px; } h1 { font-size: 18px; margin: 14px 0 16px; } .to { font-size: 12px; }
h2 { font-size: 12px; text-transform: uppercase; letter-spacing: 1px; color: #6b2d5c; margin: 0 0 8px; }
.facts { font-size: 13px; border-collapse: collapse; } .facts td { padding: 4px 6px; vertical-align: top; } .facts td.l { text-align: right; width: 210px; color: #444; } .facts td.c { width: 8px; }
.end { margin-top: 24px; font-size: 11px; color: #555; }`,
    `<div class="lh"><div><div class="n">${w.broker}</div><div class="t">${w.tagline}</div></div>
<table><tr><td>${w.our}</td><td>MRP/${claim.phone.replace(/\D/g, '').slice(-5)}</td></tr><tr><td>${w.sent}</td><td>${p.date(day(4))}</td></tr><tr><td>${w.handler}</td><td>Priya Natarajan</td></tr></table></div>
<div class="to">${w.to}</div><h1>${p.v.claimTitle}</h1>
<h2>${w.facts}</h2><table class="facts">${facts.map(([l, v]) => `<tr><td class="l">${l}</td><td class="c">:</td><td>${v}</td></tr>`).join('')}</table>
<div class="end">${w.contact}<br>Priya Natarajan · ${w.broker}</div>`,
  );
}

const UTILITY = {
  en: { account: 'Account number', period: 'Billing period', summary: 'Your account summary', previous: 'Previous balance', paid: 'Payment received – thank you', carried: 'Balance carried forward', due: 'Amount due', charges: 'Your charges this month', slip: 'Payment slip', detach: 'Please detach and return with your payment', care: 'Customer care', to: 'to' },
  de: { account: 'Kundenkonto', period: 'Abrechnungszeitraum', summary: 'Ihr Kontoüberblick', previous: 'Saldo Vormonat', paid: 'Zahlungseingang – vielen Dank', carried: 'Übertrag', due: 'Zu zahlender Betrag', charges: 'Ihre Entgelte in diesem Monat', slip: 'Zahlschein', detach: 'Bitte abtrennen und mit der Zahlung einsenden', care: 'Kundenservice', to: 'bis' },
  fr: { account: 'N° de compte client', period: 'Période facturée', summary: 'Votre situation de compte', previous: 'Solde précédent', paid: 'Paiement reçu – merci', carried: 'Solde reporté', due: 'Montant à payer', charges: 'Vos frais du mois', slip: 'Talon de paiement', detach: 'À détacher et à joindre à votre règlement', care: 'Service client', to: 'au' },
} as const;

/** Bars of a barcode-like pattern drawn from the text (not a real symbology: only its caption is read). */
function barcode(text: string): string {
  let x = 10;
  const bars: string[] = [];
  for (const ch of `*${text}*`) {
    const code = ch.charCodeAt(0);
    for (let k = 0; k < 4; k++) {
      const width = 1 + ((code >> k) & 1) + ((code >> (k + 3)) & 1);
      bars.push(`<rect x="${x}" y="0" width="${width}" height="46"/>`);
      x += width + 1 + ((code >> (k + 1)) & 1) * 2;
    }
  }
  return `<svg width="${x + 10}" height="46" xmlns="http://www.w3.org/2000/svg" fill="#000">${bars.join('')}</svg>`;
}

/** Held-out-16: a utility / telecom bill — an account number and a billing period in the header, an account summary (the previous balance, the payment received printed negative, the current charges, the amount due) above the charges, and a tear-off payment slip whose barcode caption is the only place the bill's number is printed. */
function utility(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(UTILITY, p.v);
  const day = (iso: string, offset: number): string => new Date(Date.parse(`${iso}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const account = `${((inv.vendor.length * 131 + inv.customer.length * 17) % 9000) + 1000} ${String(Math.round(inv.subtotal * 7) % 100000).padStart(5, '0')} ${inv.items.length}`;
  // Last month's bill, paid in full: the summary's other amounts never change what is due now.
  const previous = Math.round(inv.total * (0.82 + (inv.items.length % 3) * 0.07) * 100) / 100;
  const head = (label: string, value: string): string => `<tr><td class="l">${label}</td><td>${value}</td></tr>`;
  const line = (label: string, value: string, cls = ''): string => `<tr class="${cls}"><td>${label}</td><td class="n">${value}</td></tr>`;
  const rows = inv.items.map((i) => `<tr><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.top { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 18px; } .logo { font-size: 24px; font-weight: bold; color: #0a7d5a; letter-spacing: -0.5px; } .addr { font-size: 10px; color: #555; line-height: 1.4; margin-top: 4px; }
.care { font-size: 10px; color: #555; text-align: right; } .care b { font-size: 13px; color: #0a7d5a; }
h1 { font-size: 19px; margin: 6px 0 12px; } .cols { display: flex; gap: 26px; margin-bottom: 16px; } .cols > div { flex: 1; }
.hd td { font-size: 11.5px; padding: 2px 10px 2px 0; } .hd td.l { color: #555; } .payer { font-size: 12px; line-height: 1.5; } .payer span { font-size: 10px; color: #555; }
.box { border: 1px solid #0a7d5a; border-radius: 6px; padding: 8px 12px; } .box h3 { font-size: 12px; margin: 0 0 6px; color: #0a7d5a; }
.box table { width: 100%; font-size: 11.5px; } .box td { padding: 2px 0; } .box tr.due td { font-weight: bold; font-size: 13px; border-top: 1px solid #0a7d5a; padding-top: 4px; }
h2 { font-size: 13px; margin: 6px 0 6px; color: #0a7d5a; } .items { width: 100%; font-size: 11.5px; } .items th { font-size: 10.5px; text-align: left; background: #e6f3ee; padding: 4px; } .items th.n { text-align: right; } .items td { padding: 3px 4px; border-bottom: 1px dotted #bbb; }
.sum { margin: 8px 0 0 auto; font-size: 12px; } .sum td { padding: 2px 0 2px 30px; text-align: right; } .sum tr:last-child td { font-weight: bold; }
.note { font-size: 10px; color: #555; margin-top: 8px; }
.slip { position: absolute; left: 64px; right: 64px; bottom: 44px; border-top: 1px dashed #777; padding-top: 14px; display: flex; justify-content: space-between; align-items: flex-end; }
.slip .cut { position: absolute; top: -9px; left: 0; font-size: 13px; background: #fff; padding-right: 4px; } .slip .t { font-size: 13px; font-weight: bold; } .slip .s { font-size: 9.5px; color: #555; margin-bottom: 8px; }
.slip table td { font-size: 11.5px; padding: 1px 10px 1px 0; } .bc { text-align: center; } .bc .cap { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; letter-spacing: 1px; margin-top: 3px; }`,
    `<div class="top"><div><div class="logo">${escape(inv.vendor)}</div><div class="addr">${inv.vendorLines.map(escape).join(' · ')}</div></div>
<div class="care">${w.care}<br><b>0800 ${String(inv.vendor.length * 37).padStart(3, '0')} ${String(inv.vendor.charCodeAt(0) * 41).padStart(4, '0')}</b></div></div>
<h1>${p.v.invoiceTitle}</h1>
<div class="cols"><div><table class="hd">${head(w.account, account)}${head(w.period, `${p.date(day(inv.invoiceDate, -31))} ${w.to} ${p.date(day(inv.invoiceDate, -1))}`)}${head(p.v.invoiceDate, p.date(inv.invoiceDate))}${inv.po ? head(p.v.poNumber, inv.po) : ''}</table>
<div class="payer" style="margin-top:12px"><span>${p.v.billTo}</span><br>${escape(inv.customer)}</div></div>
<div class="box"><h3>${w.summary}</h3><table>${line(w.previous, p.money(previous))}${line(w.paid, p.money(-previous))}${line(w.carried, p.money(0))}${line(p.v.total, p.money(inv.total))}${line(p.v.dueDate, p.date(inv.dueDate))}${line(w.due, p.money(inv.total), 'due')}</table></div></div>
<h2>${w.charges}</h2>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${rows}</table>
<table class="sum"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<div class="note">${escape(p.v.thanks)}</div>
<div class="slip"><span class="cut">✂</span><div><div class="t">${w.slip} · ${escape(inv.vendor)}</div><div class="s">${w.detach}</div>
<table><tr><td>${w.account}</td><td>${account}</td></tr><tr><td>${w.due}</td><td><b>${p.money(inv.total)}</b></td></tr><tr><td>${p.v.dueDate}</td><td>${p.date(inv.dueDate)}</td></tr></table></div>
<div class="bc">${barcode(inv.invoiceNumber)}<div class="cap">${p.v.invoiceNumber} ${inv.invoiceNumber}</div></div></div>`,
  );
}

const EXPENSES = {
  en: { insurer: 'Harbourline Assistance', office: 'For office use only', member: '1. Member details', event: '2. About the claim', receipts: '3. Receipts enclosed', no: 'No.', date: 'Receipt date', payee: 'Paid to', what: 'What for', amount: 'Amount', declare: 'I declare that the information given is true and complete.', signed: 'Signed', on: 'Date', purposes: ['Treatment', 'Medicines', 'Transport', 'Accommodation'] },
  de: { insurer: 'Harbourline Assistance GmbH', office: 'Nur für interne Vermerke', member: '1. Angaben zum Mitglied', event: '2. Angaben zum Ereignis', receipts: '3. Beigefügte Belege', no: 'Nr.', date: 'Belegdatum', payee: 'Empfänger', what: 'Wofür', amount: 'Betrag', declare: 'Ich versichere, dass die Angaben wahr und vollständig sind.', signed: 'Unterschrift', on: 'Datum', purposes: ['Behandlung', 'Medikamente', 'Fahrtkosten', 'Unterkunft'] },
  fr: { insurer: 'Harbourline Assistance SA', office: 'Cadre réservé à l’assureur', member: '1. Le membre', event: '2. La demande', receipts: '3. Justificatifs joints', no: 'N°', date: 'Date du justificatif', payee: 'Payé à', what: 'Objet', amount: 'Montant', declare: 'Je certifie que les renseignements fournis sont exacts et complets.', signed: 'Signature', on: 'Date', purposes: ['Soins', 'Médicaments', 'Transport', 'Hébergement'] },
} as const;

const PAYEES: Record<VarietyClaim['claimType'], string[]> = {
  Auto: ['Roadside Rescue 24', 'Garage Martin', 'Europcar', 'Taxi Central'],
  Home: ['Rapid Plumbing Ltd', 'Schlüsseldienst Kern', 'Hôtel Ibis', 'City Glaziers'],
  Travel: ['Clinique Saint-Roch', 'Farmacia Centrale', 'Taxi Azur', 'Hotel Miramar'],
};

/** The total claimed split into receipts (2 to 4) that add up to it to the cent. */
function receiptsOf(amount: number): number[] {
  const cents = Math.round(amount * 100);
  const shares = [[0.62], [0.47, 0.31], [0.41, 0.27, 0.19]][cents % 3]!;
  const parts = shares.map((s) => Math.floor(cents * s));
  return [...parts, cents - parts.reduce((a, b) => a + b, 0)].map((c) => c / 100);
}

/** Held-out-16: an expense reimbursement claim — member details in a two-column grid, the event, a table of the receipts enclosed (each with its own date, payee and amount) whose total row is the amount claimed, a signed declaration dated after the event. */
function expenses(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(EXPENSES, p.v);
  const day = (offset: number): string => new Date(Date.parse(`${claim.incidentDate}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const field = (label: string, value: string): string => `<div class="f"><div class="c">${label}</div><div class="v">${value}</div></div>`;
  const rows = receiptsOf(claim.amount).map((amount, n) => `<tr><td>${n + 1}</td><td>${p.date(day([0, 1, 3, 6][n]!))}</td><td>${escape(PAYEES[claim.claimType][n]!)}</td><td>${w.purposes[n]}</td><td class="n">${p.money(amount)}</td></tr>`).join('');
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.top { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 2px solid #8a1c2b; padding-bottom: 10px; margin-bottom: 16px; } .ins { font-size: 18px; font-weight: bold; color: #8a1c2b; }
.office { border: 1px dashed #999; width: 180px; height: 46px; font-size: 9px; color: #888; padding: 4px 6px; box-sizing: border-box; }
h1 { font-size: 20px; margin: 0 0 14px; } h2 { font-size: 12.5px; background: #f3e6e8; color: #8a1c2b; padding: 4px 8px; margin: 14px 0 8px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; column-gap: 22px; row-gap: 8px; } .f .c { font-size: 10px; color: #444; } .f .v { border: 1px solid #aaa; padding: 4px 6px; min-height: 16px; font-size: 13px; }
.wide { grid-column: 1 / span 2; }
.rc { width: 100%; font-size: 12px; } .rc th { font-size: 10.5px; text-align: left; border-bottom: 1px solid #8a1c2b; padding: 4px; } .rc th.n { text-align: right; } .rc td { padding: 4px; border-bottom: 1px solid #e3d6d8; }
.rc tr.tot td { font-weight: bold; border-top: 2px solid #8a1c2b; border-bottom: none; }
.decl { font-size: 11px; margin-top: 22px; } .sig { display: flex; gap: 40px; margin-top: 14px; font-size: 12px; } .sig div { border-bottom: 1px solid #444; min-width: 200px; padding-bottom: 2px; } .sig span { font-size: 10px; color: #444; display: block; }`,
    `<div class="top"><div class="ins">${w.insurer}</div><div class="office">${w.office}</div></div>
<h1>${p.v.claimTitle}</h1>
<h2>${w.member}</h2><div class="grid">${field(p.v.claimant, escape(claim.claimant))}${field(p.v.policyNumber, claim.policyNumber)}${field(p.v.phone, claim.phone)}${field(p.v.claimType, escape(p.v.claimTypes[claim.claimType]))}</div>
<h2>${w.event}</h2><div class="grid">${field(p.v.incidentDate, p.date(claim.incidentDate))}<div></div><div class="wide">${field(p.v.description, escape(claim.description))}</div></div>
<h2>${w.receipts}</h2><table class="rc"><tr><th>${w.no}</th><th>${w.date}</th><th>${w.payee}</th><th>${w.what}</th><th class="n">${w.amount}</th></tr>${rows}
<tr class="tot"><td colspan="4">${p.v.claimAmount}</td><td class="n">${p.money(claim.amount)}</td></tr></table>
<div class="decl">${w.declare}</div>
<div class="sig"><div><span>${w.signed}</span><i>${escape(claim.claimant)}</i></div><div><span>${w.on}</span>${p.date(day(9))}</div></div>`,
  );
}

/** A small number drawn from a document's own text: the distractors of a layout change with the document but take nothing from the random stream. */
const hashOf = (text: string): number => [...text].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);

const dayAfter = (iso: string, offset: number): string => new Date(Date.parse(`${iso}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

const SELFBILL = {
  en: { title: 'Self-billing invoice', sub: 'Issued by the customer on behalf of the supplier', supplierNo: 'Supplier account no.', vatNo: 'Supplier VAT reg. no.', agreement: 'Self-billing agreement', grn: 'GRN no.', received: 'Received', notice: (customer: string, vendor: string) => `This self-billing invoice is issued by ${customer} on behalf of ${vendor} under the agreement above. The VAT shown is the supplier's output tax; the supplier must not issue its own invoice for these supplies.`, remit: 'Remittance advice', invoiceTotal: 'This invoice', discount: 'Less 2% settlement discount', remitted: 'Amount to be remitted', paidOn: 'Paid to your bank account on', payables: 'Accounts Payable' },
  de: { title: 'Gutschrift', sub: 'Abrechnung im Gutschriftverfahren (§ 14 Abs. 2 UStG)', supplierNo: 'Kreditoren-Nr.', vatNo: 'USt-IdNr. des Lieferanten', agreement: 'Gutschriftvereinbarung', grn: 'WE-Nr.', received: 'Wareneingang', notice: (customer: string, vendor: string) => `Diese Gutschrift stellt ${customer} im Namen und für Rechnung von ${vendor} aus (Vereinbarung oben). Die ausgewiesene Umsatzsteuer schuldet der Lieferant; er stellt für diese Leistungen keine eigene Rechnung aus.`, remit: 'Zahlungsavis', invoiceTotal: 'Diese Gutschrift', discount: 'abzgl. 2 % Skonto', remitted: 'Überweisungsbetrag', paidOn: 'Überweisung auf Ihr Konto am', payables: 'Kreditorenbuchhaltung' },
  fr: { title: 'Autofacturation', sub: 'Facture établie par le client au nom et pour le compte du fournisseur', supplierNo: 'N° compte fournisseur', vatNo: 'N° TVA du fournisseur', agreement: 'Mandat d’autofacturation', grn: 'N° BR', received: 'Réception', notice: (customer: string, vendor: string) => `Facture émise par ${customer} au nom et pour le compte de ${vendor} en vertu du mandat ci-dessus. La TVA indiquée est due par le fournisseur, qui n’émet pas de facture pour ces opérations.`, remit: 'Avis de paiement', invoiceTotal: 'Cette facture', discount: 'Escompte 2 % déduit', remitted: 'Montant viré', paidOn: 'Virement sur votre compte le', payables: 'Comptabilité fournisseurs' },
  it: { title: 'Autofattura', sub: 'Fattura emessa dal cliente per conto del fornitore', supplierNo: 'Cod. fornitore', vatNo: 'P. IVA fornitore', agreement: 'Accordo di autofatturazione', grn: 'N. DDT', received: 'Ricevuto il', notice: (customer: string, vendor: string) => `Documento emesso da ${customer} in nome e per conto di ${vendor} in base all’accordo indicato. L’IVA esposta è dovuta dal fornitore, che non emette fattura propria per queste operazioni.`, remit: 'Avviso di pagamento', invoiceTotal: 'Questo documento', discount: 'Sconto cassa 2%', remitted: 'Importo bonificato', paidOn: 'Bonifico sul vostro conto il', payables: 'Contabilità fornitori' },
} as const;

/** Held-out-17: a self-billing invoice — drawn up by the customer for its supplier, so the letterhead is the customer's; the supplier (the vendor) stands in a block of its own with its VAT number, the customer's supplier account and the self-billing agreement among the details, goods-received numbers and dates beside the items, and a remittance advice under the totals (a settlement discount printed negative, the amount remitted). */
function selfbill(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(SELFBILL, p.v);
  const h = hashOf(inv.vendor + inv.invoiceNumber);
  const supplierNo = `${40000 + (h % 9999)}`;
  const vat = `${inv.vendor.length % 2 ? 'GB' : 'DE'}${String(100000000 + (h % 899999999)).slice(0, 9)}`;
  const agreement = `SBA-${2019 + (h % 4)}-${String(h % 997).padStart(3, '0')}`;
  const discount = Math.round(inv.total * 2) / 100;
  const row = (label: string, value: string): string => `<tr><td class="l">${label}</td><td>${value}</td></tr>`;
  const items = inv.items.map((i, n) => `<tr><td>${5000000 + ((h + n * 7919) % 999999)}</td><td>${p.date(dayAfter(inv.invoiceDate, -(n + 2)))}</td><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.lh { display: flex; justify-content: space-between; border-bottom: 3px solid #24406b; padding-bottom: 10px; } .lh .co { font-size: 22px; font-weight: bold; color: #24406b; } .lh .dept { font-size: 11px; color: #555; line-height: 1.5; text-align: right; }
h1 { font-size: 20px; margin: 16px 0 2px; color: #24406b; } .sub { font-size: 11px; font-style: italic; color: #444; margin-bottom: 16px; }
.cols { display: flex; justify-content: space-between; gap: 24px; margin-bottom: 18px; } .sup { border: 1px solid #9aa7bd; padding: 8px 12px; width: 290px; font-size: 13px; line-height: 1.45; } .sup .cap { font-size: 10px; text-transform: uppercase; color: #24406b; letter-spacing: 0.5px; } .sup b { font-size: 14px; }
.meta td { font-size: 12.5px; padding: 2px 0 2px 14px; } .meta td.l { color: #444; }
.items { width: 100%; font-size: 12px; } .items th { background: #24406b; color: #fff; text-align: left; padding: 4px; font-weight: normal; } .items th.n { text-align: right; } .items td { padding: 4px; border-bottom: 1px solid #d5dbe6; }
.sum { margin: 10px 0 0 auto; font-size: 13px; } .sum td { padding: 2px 0 2px 36px; text-align: right; } .sum tr:last-child td { font-weight: bold; border-top: 1px solid #24406b; }
.notice { font-size: 10.5px; color: #333; margin-top: 16px; line-height: 1.45; }
.remit { margin-top: 20px; border: 1px dashed #24406b; padding: 8px 12px; width: 360px; } .remit h3 { font-size: 12px; margin: 0 0 6px; text-transform: uppercase; color: #24406b; } .remit td { font-size: 12.5px; padding: 1px 18px 1px 0; } .remit td.n { padding-right: 0; }`,
    `<div class="lh"><div class="co">${escape(inv.customer)}</div><div class="dept">${w.payables}<br>PO Box ${1000 + (h % 8999)} · Springfield</div></div>
<h1>${w.title}</h1><div class="sub">${w.sub}</div>
<div class="cols"><div class="sup"><div class="cap">${p.v.vendor}</div><b>${escape(inv.vendor)}</b><br>${inv.vendorLines.map(escape).join('<br>')}<br>${w.vatNo}: ${vat}</div>
<table class="meta">${row(p.v.invoiceNumber, inv.invoiceNumber)}${row(p.v.invoiceDate, p.date(inv.invoiceDate))}${row(p.v.dueDate, p.date(inv.dueDate))}${inv.po ? row(p.v.poNumber, inv.po) : ''}${row(w.supplierNo, supplierNo)}${row(w.agreement, agreement)}</table></div>
<table class="items"><tr><th>${w.grn}</th><th>${w.received}</th><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${items}</table>
<table class="sum"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<div class="notice">${escape(w.notice(inv.customer, inv.vendor))}</div>
<div class="remit"><h3>${w.remit}</h3><table><tr><td>${w.invoiceTotal}</td><td class="n">${p.money(inv.total)}</td></tr><tr><td>${w.discount}</td><td class="n">${p.money(-discount)}</td></tr><tr><td><b>${w.remitted}</b></td><td class="n"><b>${p.money(Math.round((inv.total - discount) * 100) / 100)}</b></td></tr><tr><td>${w.paidOn}</td><td class="n">${p.date(inv.dueDate)}</td></tr></table></div>`,
  );
}

const FANFOLD = {
  en: { page: (n: number) => `Page ${n} of 2`, customerNo: 'Account', carried: 'Carried forward', continued: '*** continued on page 2 ***', brought: 'Brought forward', line: 'Ln', printed: 'Printed', end: '*** end of invoice ***' },
  de: { page: (n: number) => `Seite ${n} von 2`, customerNo: 'Debitor', carried: 'Übertrag', continued: '*** Fortsetzung auf Seite 2 ***', brought: 'Übertrag von Seite 1', line: 'Pos', printed: 'Druckdatum', end: '*** Ende der Rechnung ***' },
  fr: { page: (n: number) => `Page ${n}/2`, customerNo: 'Compte client', carried: 'À reporter', continued: '*** suite page 2 ***', brought: 'Report', line: 'Lig', printed: 'Édité le', end: '*** fin de facture ***' },
  it: { page: (n: number) => `Pagina ${n} di 2`, customerNo: 'Cod. cliente', carried: 'A riportare', continued: '*** segue a pagina 2 ***', brought: 'Riporto', line: 'Rg', printed: 'Stampato il', end: '*** fine documento ***' },
} as const;

/** Held-out-17: an invoice printed from an ERP on continuous paper with a short page length, so one sheet holds "page 1 of 2" and "page 2 of 2": the header repeated on each, the items split between them, a carried-forward subtotal at the foot of the first and brought forward at the head of the second, the totals and the due date only at the end; green bars and sprocket holes. */
function fanfold(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(FANFOLD, p.v);
  const h = hashOf(inv.invoiceNumber + inv.customer);
  const split = Math.ceil(inv.items.length / 2);
  const carried = Math.round(inv.items.slice(0, split).reduce((sum, i) => sum + i.amount, 0) * 100) / 100;
  const kv = (label: string, value: string): string => `<tr><td>${label}</td><td>: ${value}</td></tr>`;
  const rows = (from: number, to: number): string => inv.items.slice(from, to).map((i, n) => `<tr><td>${String((from + n + 1) * 10).padStart(4, '0')}</td><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  const head = (n: number): string => `<div class="hd"><div><div class="co">${escape(inv.vendor)}</div>${n === 1 ? `<div class="ad">${inv.vendorLines.map(escape).join(', ')}</div>` : ''}</div><div class="pg">${p.v.invoiceTitle} ${inv.invoiceNumber}<br>${w.page(n)}</div></div>`;
  const items = (from: number, to: number, lead = ''): string => `<table class="it"><tr><th>${w.line}</th><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${lead}${rows(from, to)}</table>`;
  return page(
    '"Liberation Mono", "DejaVu Sans Mono", monospace',
    `.sheet { padding: 40px 70px !important; font-size: 12.5px !important; }
.holes { position: absolute; top: 0; bottom: 0; width: 26px; background: radial-gradient(circle at 13px 13px, #cfcfcf 6px, transparent 7px) 0 0 / 26px 36px repeat-y; } .holes.l { left: 14px; } .holes.r { right: 14px; }
.part { height: 500px; box-sizing: border-box; padding: 10px 14px; background: repeating-linear-gradient(#fff 0 21px, #e6f2e3 21px 42px); position: relative; }
.perf { border-top: 2px dashed #9a9a9a; margin: 18px 0; }
.hd { display: flex; justify-content: space-between; border-bottom: 1px solid #333; padding-bottom: 4px; margin-bottom: 8px; } .co { font-size: 15px; font-weight: bold; } .ad { font-size: 11px; } .pg { text-align: right; }
.mt td { padding: 0 16px 0 0; } .it { width: 100%; margin-top: 8px; } .it th { text-align: left; border-bottom: 1px solid #333; font-weight: normal; padding: 2px 4px; } .it th.n { text-align: right; } .it td { padding: 2px 4px; }
.fw td { font-style: italic; } .cf { text-align: right; margin-top: 6px; } .cont { text-align: center; position: absolute; bottom: 10px; left: 0; right: 0; }
.tot { margin: 8px 0 0 auto; } .tot td { padding: 1px 0 1px 24px; text-align: right; } .tot tr:last-child td { font-weight: bold; border-top: 1px solid #333; }`,
    `<div class="holes l"></div><div class="holes r"></div>
<div class="part">${head(1)}<table class="mt">${kv(p.v.invoiceNumber, inv.invoiceNumber)}${kv(p.v.invoiceDate, p.date(inv.invoiceDate))}${kv(w.customerNo, String(100000 + (h % 899999)))}${inv.po ? kv(p.v.poNumber, inv.po) : ''}${kv(p.v.billTo, escape(inv.customer))}</table>
${items(0, split)}<div class="cf">${w.carried} ${p.money(carried)}</div><div class="cont">${w.continued}</div></div>
<div class="perf"></div>
<div class="part">${head(2)}${items(split, inv.items.length, `<tr class="fw"><td></td><td>${w.brought}</td><td></td><td></td><td class="n">${p.money(carried)}</td></tr>`)}
<table class="tot"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<table class="mt" style="margin-top:8px">${kv(p.v.dueDate, p.date(inv.dueDate))}${kv(w.printed, `${p.date(dayAfter(inv.invoiceDate, 1))} ${String(6 + (h % 12)).padStart(2, '0')}:${String(h % 60).padStart(2, '0')}`)}</table>
<div style="margin-top:6px">${escape(p.v.thanks)}</div><div class="cont">${w.end}</div></div>`,
  );
}

const MOTOR = {
  en: { insurer: 'Wayfarer Motor Insurance', office: 'Claim ref. (office use)', s1: '1. Policyholder', s2: '2. Your vehicle', s3: '3. The accident', s4: '4. Other vehicle / third party', s5: '5. Your claim', reg: 'Registration no.', make: 'Make and model', year: 'First registered', mileage: 'Mileage', use: 'Use at the time', uses: ['Social, domestic & pleasure', 'Commuting', 'Business'], driving: 'Was the policyholder driving?', yes: 'Yes', no: 'No', time: 'Time', place: 'Place', police: 'Police attended?', name: 'Name', insurer2: 'Their insurer', policy2: 'Their policy no.', phone2: 'Telephone', excess: 'Policy excess', estimate: 'Repair estimate enclosed?', declare: 'I declare that the above is true and complete to the best of my knowledge.', signed: 'Signature', on: 'Date' },
  de: { insurer: 'Wayfarer Versicherung AG', office: 'Schaden-Nr. (intern)', s1: '1. Versicherungsnehmer', s2: '2. Ihr Fahrzeug', s3: '3. Der Unfall', s4: '4. Unfallgegner', s5: '5. Ihre Forderung', reg: 'Amtl. Kennzeichen', make: 'Hersteller / Typ', year: 'Erstzulassung', mileage: 'km-Stand', use: 'Nutzung zum Unfallzeitpunkt', uses: ['Privat', 'Arbeitsweg', 'Geschäftlich'], driving: 'Fuhr der Versicherungsnehmer selbst?', yes: 'Ja', no: 'Nein', time: 'Uhrzeit', place: 'Unfallort', police: 'Polizei vor Ort?', name: 'Name', insurer2: 'Dessen Versicherer', policy2: 'Dessen VS-Nr.', phone2: 'Telefon', excess: 'Selbstbeteiligung', estimate: 'Kostenvoranschlag beigefügt?', declare: 'Ich versichere, die Angaben wahrheitsgemäß und vollständig gemacht zu haben.', signed: 'Unterschrift', on: 'Datum' },
  fr: { insurer: 'Wayfarer Assurances', office: 'Réf. sinistre (cadre assureur)', s1: '1. Souscripteur', s2: '2. Votre véhicule', s3: '3. L’accident', s4: '4. Véhicule adverse', s5: '5. Votre demande', reg: 'Immatriculation', make: 'Marque et modèle', year: 'Mise en circulation', mileage: 'Kilométrage', use: 'Usage au moment des faits', uses: ['Privé', 'Trajet travail', 'Professionnel'], driving: 'Le souscripteur conduisait-il ?', yes: 'Oui', no: 'Non', time: 'Heure', place: 'Lieu', police: 'Police sur place ?', name: 'Nom', insurer2: 'Son assureur', policy2: 'Son n° de police', phone2: 'Téléphone', excess: 'Franchise', estimate: 'Devis joint ?', declare: 'Je certifie sincères et complètes les déclarations ci-dessus.', signed: 'Signature', on: 'Date' },
  it: { insurer: 'Wayfarer Assicurazioni S.p.A.', office: 'N. sinistro (uso interno)', s1: '1. Contraente', s2: '2. Il veicolo', s3: '3. Il sinistro', s4: '4. Controparte', s5: '5. La richiesta', reg: 'Targa', make: 'Marca e modello', year: 'Immatricolazione', mileage: 'Km percorsi', use: 'Uso al momento del sinistro', uses: ['Privato', 'Casa-lavoro', 'Professionale'], driving: 'Il contraente era alla guida?', yes: 'Sì', no: 'No', time: 'Ora', place: 'Luogo', police: 'Intervento autorità?', name: 'Nome', insurer2: 'Sua compagnia', policy2: 'Sua polizza n.', phone2: 'Telefono', excess: 'Franchigia', estimate: 'Preventivo allegato?', declare: 'Dichiaro che quanto sopra corrisponde al vero.', signed: 'Firma', on: 'Data' },
} as const;

const CARS = ['Volkswagen Golf 1.5 TSI', 'Ford Focus 1.0 EcoBoost', 'Renault Clio V TCe 90', 'Fiat 500 Hybrid', 'Toyota Yaris 1.5 Hybrid', 'Škoda Octavia Combi 2.0 TDI'];
const OTHER_DRIVERS = ['Gareth Pryce', 'Monika Albers', 'Luc Fontaine', 'Giulia Rinaldi', 'Declan Moore'];
const OTHER_INSURERS = ['Albion Direct', 'Rheinland Kraftfahrt VVaG', 'Mutuelle du Rhône', 'Assicurazioni Laguna', 'Northgate Motor'];
const PLACES = ['Junction of Mill Road and Station Street', 'Car park, Kingsway retail centre', 'A38 near the Harbour Way roundabout', 'Market Square, outside no. 12'];

/** A registration plate in the way of the document's language (GB, D, F, I, P). */
function plate(language: Language, n: number): string {
  const letter = (k: number): string => 'ABCDEFGHJKLMNPRSTVWXYZ'[(n >>> k) % 22]!;
  const digits = (count: number, k: number): string => String((n >>> k) % 10 ** count).padStart(count, '0');
  if (language === 'de') return `${['M', 'K', 'HH', 'S'][n % 4]}-${letter(3)}${letter(7)} ${1 + ((n >>> 5) % 9998)}`;
  if (language === 'fr') return `${letter(2)}${letter(6)}-${digits(3, 4)}-${letter(9)}${letter(12)}`;
  if (language === 'it') return `${letter(2)}${letter(6)} ${digits(3, 4)} ${letter(9)}${letter(12)}`;
  if (language === 'pt') return `${letter(2)}${letter(6)}-${digits(2, 4)}-${letter(9)}${letter(12)}`;
  return `${letter(2)}${letter(6)}${digits(2, 4)} ${letter(9)}${letter(12)}${letter(15)}`;
}

/** Held-out-17: a motor claim form — the policyholder, the vehicle (its registration, make, first registration, mileage, its use as tick boxes), the accident (time, place, who drove, police: tick boxes), the other vehicle (a third party's name, registration, insurer and policy number) and the claim (the sum claimed, the policy excess printed negative, an estimate enclosed), signed a few days after the accident. */
function motor(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(MOTOR, p.v);
  const h = hashOf(claim.policyNumber + claim.claimant);
  const tick = (on: boolean, label: string): string => `<span class="tk"><span class="tb">${on ? 'X' : ''}</span>${label}</span>`;
  const yesNo = (yes: boolean): string => `${tick(yes, w.yes)}${tick(!yes, w.no)}`;
  const f = (label: string, value: string, cls = ''): string => `<div class="f ${cls}"><div class="c">${label}</div><div class="v">${value}</div></div>`;
  const excess = [100, 150, 250, 500][h % 4]!;
  const year = Number(claim.incidentDate.slice(0, 4)) - 1 - (h % 9);
  const other = `${'ABCDEFGHJKLMNPRSTVWXYZ'[h % 22]}${'KLMNPRST'[(h >>> 3) % 8]} ${String(100000 + (h % 899999)).slice(0, 6)}-${(h >>> 7) % 90 + 10}`;
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.sheet { padding: 44px 56px !important; } .top { display: flex; justify-content: space-between; align-items: flex-start; } .ins { font-size: 17px; font-weight: bold; color: #1f5130; } .office { border: 1px solid #888; width: 190px; height: 34px; font-size: 9px; color: #666; padding: 3px 6px; box-sizing: border-box; }
h1 { font-size: 19px; margin: 8px 0 10px; } h2 { font-size: 11.5px; margin: 10px 0 5px; padding: 3px 6px; background: #1f5130; color: #fff; }
.g { display: grid; grid-template-columns: 1fr 1fr 1fr; column-gap: 12px; row-gap: 5px; } .f .c { font-size: 9.5px; color: #333; } .f .v { border: 1px solid #999; min-height: 15px; padding: 2px 5px; font-size: 12px; } .w2 { grid-column: span 2; } .w3 { grid-column: 1 / span 3; }
.tk { margin-right: 14px; font-size: 11px; white-space: nowrap; } .tb { display: inline-block; width: 11px; height: 11px; border: 1px solid #333; font-size: 10px; line-height: 11px; text-align: center; margin-right: 4px; vertical-align: middle; font-weight: bold; }
.q { font-size: 11px; margin: 4px 0; } .q b { font-weight: normal; display: inline-block; width: 250px; }
.decl { font-size: 10.5px; margin-top: 12px; } .sig { display: flex; gap: 40px; margin-top: 10px; font-size: 12px; } .sig div { border-bottom: 1px solid #333; min-width: 210px; } .sig span { display: block; font-size: 9.5px; color: #444; }`,
    `<div class="top"><div class="ins">${w.insurer}</div><div class="office">${w.office}</div></div>
<h1>${p.v.claimTitle}</h1>
<h2>${w.s1}</h2><div class="g">${f(p.v.claimant, escape(claim.claimant), 'w2')}${f(p.v.policyNumber, claim.policyNumber)}${f(p.v.phone, claim.phone, 'w2')}${f(p.v.claimType, escape(p.v.claimTypes[claim.claimType]))}</div>
<h2>${w.s2}</h2><div class="g">${f(w.reg, plate(p.v.language, h))}${f(w.make, escape(CARS[h % CARS.length]!))}${f(w.year, String(year))}${f(w.mileage, `${(12 + (h % 140)) * 1000 + (h % 997)} km`)}</div>
<div class="q"><b>${w.use}</b>${w.uses.map((u, n) => tick(n === h % 3, u)).join('')}</div>
<h2>${w.s3}</h2><div class="g">${f(p.v.incidentDate, p.date(claim.incidentDate))}${f(w.time, `${String(7 + (h % 14)).padStart(2, '0')}:${String((h >>> 4) % 60).padStart(2, '0')}`)}${f(w.place, escape(PLACES[h % PLACES.length]!))}${f(p.v.description, escape(claim.description), 'w3')}</div>
<div class="q"><b>${w.driving}</b>${yesNo(h % 5 !== 0)}</div><div class="q"><b>${w.police}</b>${yesNo(h % 3 === 0)}</div>
<h2>${w.s4}</h2><div class="g">${f(w.name, escape(OTHER_DRIVERS[h % OTHER_DRIVERS.length]!))}${f(w.reg, plate(p.v.language, h * 7 + 3))}${f(w.phone2, `555-${String(h % 1000).padStart(3, '0')}-${String((h >>> 10) % 10000).padStart(4, '0')}`)}${f(w.insurer2, escape(OTHER_INSURERS[h % OTHER_INSURERS.length]!), 'w2')}${f(w.policy2, other)}</div>
<h2>${w.s5}</h2><div class="g">${f(p.v.claimAmount, p.money(claim.amount))}${f(w.excess, p.money(-excess))}<div></div></div>
<div class="q"><b>${w.estimate}</b>${yesNo(true)}</div>
<div class="decl">${w.declare}</div>
<div class="sig"><div><span>${w.signed}</span><i>${escape(claim.claimant)}</i></div><div><span>${w.on}</span>${p.date(dayAfter(claim.incidentDate, 4))}</div></div>`,
  );
}

const SMALLCAPS = {
  en: { studio: 'Design & editorial studio', vatId: 'VAT no.', terms: 'Terms', termsText: (days: number) => `${days} days net`, bank: 'Bank transfer to', page: 'Page 1 of 1', contact: 'Questions about this invoice' },
  de: { studio: 'Büro für Gestaltung und Redaktion', vatId: 'USt-IdNr.', terms: 'Zahlungsziel', termsText: (days: number) => `${days} Tage netto`, bank: 'Überweisung an', page: 'Seite 1 von 1', contact: 'Fragen zur Rechnung' },
  fr: { studio: 'Studio de design et d’édition', vatId: 'N° TVA', terms: 'Conditions', termsText: (days: number) => `${days} jours net`, bank: 'Virement sur le compte', page: 'Page 1 sur 1', contact: 'Une question sur cette note ?' },
  es: { studio: 'Estudio de diseño y edición', vatId: 'NIF-IVA', terms: 'Condiciones', termsText: (days: number) => `${days} días netos`, bank: 'Transferencia a', page: 'Página 1 de 1', contact: 'Consultas sobre esta factura' },
} as const;

/** Held-out-18: a design studio's fee invoice in two columns — a narrow left column where every label stands in small caps OVER its value (the issuer, the client, the number, the dates, the order, the terms), the wide right column with the title, the work performed and the totals, the bank details in a footer; the issuer's name otherwise only as a letter-spaced wordmark. */
function smallcaps(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(SMALLCAPS, p.v);
  const h = hashOf(inv.vendor + inv.invoiceNumber + inv.customer);
  const days = Math.round((Date.parse(inv.dueDate) - Date.parse(inv.invoiceDate)) / 86_400_000);
  const vat = `${['DK', 'ES', 'FR', 'DE'][h % 4]}${String(10000000 + (h % 89999999))}`;
  const cell = (label: string, value: string): string => `<div class="c"><div class="sc">${label}</div><div class="v">${value}</div></div>`;
  const rows = inv.items.map((i) => `<tr><td>${escape(i.description)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  return page(
    '"URW Gothic", "DejaVu Sans", sans-serif',
    `.sheet { padding: 60px 58px !important; color: #222 !important; }
.mark { font-size: 15px; letter-spacing: 6px; text-transform: uppercase; border-bottom: 1px solid #222; padding-bottom: 10px; margin-bottom: 4px; } .mark small { display: block; font-size: 10px; letter-spacing: 2px; color: #777; margin-top: 4px; }
.wrap { display: flex; gap: 38px; margin-top: 34px; } .left { width: 190px; flex: none; } .right { flex: 1; }
.sc { font-variant: small-caps; letter-spacing: 1.2px; font-size: 12px; color: #7a7a7a; } .c { margin-bottom: 16px; } .v { font-size: 13px; line-height: 1.45; margin-top: 2px; }
h1 { font-weight: normal; font-size: 30px; margin: 0 0 26px; letter-spacing: 1px; }
.items { width: 100%; font-size: 13px; } .items th { font-variant: small-caps; font-weight: normal; letter-spacing: 1px; color: #7a7a7a; text-align: left; border-bottom: 1px solid #bbb; padding: 5px 4px; } .items th.n { text-align: right; } .items td { padding: 7px 4px; border-bottom: 1px solid #eee; vertical-align: top; }
.tot { margin: 22px 0 0 auto; font-size: 13px; } .tot td { padding: 4px 0 4px 34px; text-align: right; } .tot td:first-child { font-variant: small-caps; letter-spacing: 1px; color: #555; } .tot tr:last-child td { font-size: 17px; border-top: 1px solid #222; padding-top: 8px; color: #222; }
.foot { position: absolute; left: 58px; right: 58px; bottom: 44px; border-top: 1px solid #ccc; padding-top: 8px; font-size: 10.5px; color: #666; display: flex; justify-content: space-between; }`,
    `<div class="mark">${escape(inv.vendor)}<small>${w.studio}</small></div>
<div class="wrap"><div class="left">${cell(p.v.vendor, `${escape(inv.vendor)}<br>${inv.vendorLines.map(escape).join('<br>')}<br>${w.vatId} ${vat}`)}${cell(p.v.billTo, escape(inv.customer))}${cell(p.v.invoiceNumber, inv.invoiceNumber)}${cell(p.v.invoiceDate, p.date(inv.invoiceDate))}${cell(p.v.dueDate, p.date(inv.dueDate))}${inv.po ? cell(p.v.poNumber, inv.po) : ''}${cell(w.terms, w.termsText(days))}</div>
<div class="right"><h1>${p.v.invoiceTitle}</h1><table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${rows}</table>
<table class="tot"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<p style="font-size:12px;color:#555;margin-top:34px">${escape(p.v.thanks)}</p></div></div>
<div class="foot"><span>${w.bank} IBAN ${['DK50 0040 0440 1162 43', 'ES91 2100 0418 4502 0005 1332', 'FR14 2004 1010 0505 0001 3M02 606', 'DE89 3704 0044 0532 0130 00'][h % 4]}</span><span>${w.contact}: ${h % 2 ? '+45' : '+34'} ${String(20000000 + (h % 79999999)).replace(/(\d{2})(?=\d)/g, '$1 ')}</span><span>${w.page}</span></div>`,
  );
}

const FAXED = {
  en: { attn: 'Attn: Accounts Payable', cover: 'Invoice sent by fax as agreed. The original follows by post only on request.', fax: 'Fax', tel: 'Tel.', received: 'RECEIVED', from: 'Our ref.', of: 'page 1 of 1' },
  de: { attn: 'z. Hd. Kreditorenbuchhaltung', cover: 'Rechnung wie vereinbart per Fax. Das Original folgt nur auf Wunsch per Post.', fax: 'Fax', tel: 'Tel.', received: 'EINGEGANGEN', from: 'Unser Zeichen', of: 'Seite 1 von 1' },
  fr: { attn: 'À l’attention de : comptabilité fournisseurs', cover: 'Facture transmise par télécopie comme convenu. L’original ne suit par courrier que sur demande.', fax: 'Fax', tel: 'Tél.', received: 'REÇU LE', from: 'Notre réf.', of: 'page 1 sur 1' },
  es: { attn: 'A la atención de: Cuentas a pagar', cover: 'Factura enviada por fax según lo acordado. El original se envía por correo solo si lo solicitan.', fax: 'Fax', tel: 'Tel.', received: 'RECIBIDO', from: 'Nuestra ref.', of: 'página 1 de 1' },
} as const;

const FAX_MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Held-out-18: an invoice received by fax — the fax machine's transmission line on top (its own date and time, the sender's fax number, the page count), an "attention" line and a short cover note, an ordinary office-printed invoice under it, and the receiver's rubber stamp with the day it came in. Scanned (PNG), the page also looks faxed: black and white with ragged strokes, slightly squashed, with streaks across it; as a PDF it keeps its text. */
function faxed(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(FAXED, p.v);
  const h = hashOf(inv.invoiceNumber + inv.vendor);
  const sent = dayAfter(inv.invoiceDate, 1 + (h % 3));
  const [sy, sm, sd] = sent.split('-');
  const faxNo = `+${[45, 34, 33, 49][h % 4]} ${String(10 + (h % 89))} ${String(100000 + (h % 899999))}`;
  const line = `${FAX_MONTHS[Number(sm) - 1]}-${sd}-${sy} ${String(8 + (h % 10)).padStart(2, '0')}:${String((h >>> 3) % 60).padStart(2, '0')}&nbsp;&nbsp;FROM:${faxNo.replace(/ /g, '')}&nbsp;&nbsp;TO:+4420${String(10000000 + (h % 89999999))}&nbsp;&nbsp;P.001/001`;
  const streaks = [0, 1, 2].map((k) => `<div class="streak" style="top:${120 + ((h >>> (k * 4)) % 880)}px;opacity:${(0.35 + ((h >>> (k * 3)) % 40) / 100).toFixed(2)}"></div>`).join('');
  const kv = (label: string, value: string): string => `<tr><td>${label}:</td><td>${value}</td></tr>`;
  return page(
    '"Nimbus Sans", "Liberation Sans", Arial, sans-serif',
    `.sheet { padding: 30px 60px !important; } .fx { position: relative; height: 1063px; }
.txline { font-family: "Nimbus Mono PS", "Liberation Mono", monospace; font-size: 11px; border-bottom: 1px solid #000; padding-bottom: 3px; margin-bottom: 22px; white-space: nowrap; }
.lh { display: flex; justify-content: space-between; align-items: flex-end; border-bottom: 2px solid #000; padding-bottom: 8px; } .lh .co { font-size: 21px; font-weight: bold; } .lh .ad { font-size: 12px; line-height: 1.4; text-align: right; }
.attn { margin: 14px 0 2px; font-weight: bold; font-size: 13px; } .cover { font-size: 12px; font-style: italic; margin-bottom: 18px; }
h1 { font-size: 24px; margin: 0 0 12px; letter-spacing: 2px; } .meta td { padding: 2px 18px 2px 0; font-size: 14px; }
.items { width: 100%; margin-top: 20px; font-size: 13.5px; } .items th, .items td { border: 1px solid #000; padding: 5px 6px; } .items th { text-align: left; } .items th.n { text-align: right; }
.tot { margin: 14px 0 0 auto; font-size: 14px; } .tot td { padding: 3px 0 3px 30px; text-align: right; } .tot tr:last-child td { font-weight: bold; font-size: 16px; }
.stamp { position: absolute; right: 30px; top: 160px; transform: rotate(-8deg); border: 3px double #b0182a; color: #b0182a; padding: 6px 14px; font-family: "Nimbus Mono PS", monospace; font-weight: bold; font-size: 15px; text-align: center; line-height: 1.3; }
.streak { display: none; }
@media screen {
  .fx { filter: url(#fax); transform: scaleY(0.985); transform-origin: top; }
  .streak { display: block; position: absolute; left: 0; right: 0; height: 2px; background: #000; }
  .stamp { color: #000; border-color: #000; }
}`,
    `<svg width="0" height="0" style="position:absolute"><filter id="fax" color-interpolation-filters="sRGB"><feGaussianBlur stdDeviation="0.45"/><feColorMatrix type="saturate" values="0"/><feComponentTransfer><feFuncR type="discrete" tableValues="0 0 1 1 1"/><feFuncG type="discrete" tableValues="0 0 1 1 1"/><feFuncB type="discrete" tableValues="0 0 1 1 1"/><feFuncA type="discrete" tableValues="0 0 1 1 1"/></feComponentTransfer></filter></svg>
<div class="fx"><div class="txline">${line}</div>
<div class="lh"><div class="co">${escape(inv.vendor)}</div><div class="ad">${inv.vendorLines.map(escape).join('<br>')}<br>${w.tel} ${faxNo.slice(0, -1)}0 · ${w.fax} ${faxNo}</div></div>
<div class="attn">${escape(w.attn)} — ${escape(inv.customer)}</div><div class="cover">${escape(w.cover)}</div>
<h1>${p.v.invoiceTitle}</h1>
<table class="meta">${kv(p.v.invoiceNumber, inv.invoiceNumber)}${kv(p.v.invoiceDate, p.date(inv.invoiceDate))}${inv.po ? kv(p.v.poNumber, inv.po) : ''}${kv(w.from, `${inv.vendor.slice(0, 2).toUpperCase()}/${String(h % 900 + 100)}`)}${kv(p.v.dueDate, p.date(inv.dueDate))}</table>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${itemRows(inv, p)}</table>
<table class="tot"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<p style="font-size:12px;margin-top:26px">${escape(p.v.thanks)}</p>
<p style="font-size:10px;position:absolute;bottom:10px;left:0;right:0;text-align:center">${escape(inv.vendor)} · ${w.of}</p>
<div class="stamp">${w.received}<br>${p.date(dayAfter(sent, 1))}</div>${streaks}</div>`,
  );
}

const HANDWRITTEN = {
  en: { insurer: 'Harbourline Insurance', please: 'Please complete in ink. Incomplete forms may delay your claim.', circle: '(circle one)', office: 'For office use only', received: 'Received', handler: 'Handler', declare: 'I confirm that the information I have given is true and complete.', signed: 'Signed', dated: 'Date', currency: 'Amount' },
  de: { insurer: 'Hafenlinie Versicherung', please: 'Bitte mit Kugelschreiber ausfüllen. Unvollständige Angaben verzögern die Bearbeitung.', circle: '(bitte einkreisen)', office: 'Nur für interne Vermerke', received: 'Eingang', handler: 'Sachbearbeiter', declare: 'Ich bestätige, dass meine Angaben wahr und vollständig sind.', signed: 'Unterschrift', dated: 'Datum', currency: 'Betrag' },
  fr: { insurer: 'Assurances Ligne du Port', please: 'À remplir à l’encre. Un formulaire incomplet peut retarder le traitement.', circle: '(entourer la mention)', office: 'Cadre réservé à l’assureur', received: 'Reçu le', handler: 'Gestionnaire', declare: 'Je certifie que les informations données sont exactes et complètes.', signed: 'Signature', dated: 'Date', currency: 'Montant' },
  es: { insurer: 'Seguros Línea del Puerto', please: 'Rellene con bolígrafo. Un formulario incompleto puede retrasar la tramitación.', circle: '(rodee una opción)', office: 'A rellenar por la compañía', received: 'Recibido', handler: 'Tramitador', declare: 'Declaro que los datos facilitados son ciertos y completos.', signed: 'Firma', dated: 'Fecha', currency: 'Importe' },
} as const;

/** Held-out-18: a printed claim form filled in by hand — every answer in a script hand in blue ink on the form's ruled lines, a little askew; the kind of cover ringed among the printed options; on some forms the date of the event written wrong, struck through and written again beside it; the account of the loss over two ruled lines; signed and dated a few days later; an empty office-use box. */
function handwritten(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(HANDWRITTEN, p.v);
  const h = hashOf(claim.claimant + claim.policyNumber);
  const tilt = (k: number): string => `${(((h >>> k) % 25) - 12) / 10}deg`;
  const ink = (text: string, k: number, cls = ''): string => `<span class="ink ${cls}" style="transform:rotate(${tilt(k)}) translateY(${((h >>> (k + 2)) % 5) - 2}px)">${text}</span>`;
  const line = (label: string, value: string): string => `<div class="ln"><div class="lb">${label}</div><div class="ru">${value}</div></div>`;
  const corrected = h % 3 === 0;
  const date = `${corrected ? `${ink(p.date(dayAfter(claim.incidentDate, 1 + (h % 2))), 5, 'struck')} ` : ''}${ink(p.date(claim.incidentDate), 7)}`;
  const types = (['Auto', 'Home', 'Travel'] as const).map((t) => `<span class="opt${t === claim.claimType ? ' ring' : ''}">${escape(p.v.claimTypes[t])}</span>`).join('');
  const words = claim.description.split(' ');
  const half = Math.ceil(words.length / 2);
  return page(
    '"Nimbus Sans", "Liberation Sans", Arial, sans-serif',
    `.sheet { padding: 50px 62px !important; }
.top { display: flex; justify-content: space-between; align-items: flex-start; } .ins { font-size: 18px; font-weight: bold; letter-spacing: 0.5px; } .office { border: 1px solid #666; width: 210px; font-size: 10px; color: #555; padding: 4px 8px; line-height: 1.9; }
h1 { font-size: 22px; margin: 18px 0 4px; } .please { font-size: 11.5px; color: #333; margin-bottom: 20px; }
.ln { display: flex; align-items: flex-end; margin: 0 0 15px; } .lb { width: 230px; flex: none; font-size: 12.5px; padding-bottom: 3px; } .ru { flex: 1; border-bottom: 1px solid #444; min-height: 30px; padding-left: 8px; }
.ink { display: inline-block; font-family: "Z003", "URW Chancery L", cursive; font-size: 23px; color: #1d2f86; line-height: 1.1; }
.struck { text-decoration: line-through; text-decoration-color: #1d2f86; text-decoration-thickness: 2px; margin-right: 10px; }
.opt { display: inline-block; font-size: 13px; padding: 3px 12px; margin-right: 10px; } .ring { border: 2px solid #1d2f86; border-radius: 50%; transform: rotate(-4deg); } .hint { font-size: 10.5px; color: #555; }
.desc .ru { min-height: 34px; } .decl { font-size: 11.5px; margin-top: 26px; } .sig { display: flex; gap: 40px; margin-top: 18px; } .sig .ln { flex: 1; } .sig .lb { width: 100px; }`,
    `<div class="top"><div class="ins">${w.insurer}</div><div class="office">${w.office}<br>${w.received}: ____________<br>${w.handler}: ____________</div></div>
<h1>${p.v.claimTitle}</h1><div class="please">${w.please}</div>
${line(p.v.policyNumber, ink(claim.policyNumber, 1))}${line(p.v.claimant, ink(escape(claim.claimant), 3))}${line(p.v.phone, ink(claim.phone, 9))}
<div class="ln"><div class="lb">${p.v.claimType} <span class="hint">${w.circle}</span></div><div>${types}</div></div>
${line(p.v.incidentDate, date)}${line(`${p.v.claimAmount}`, ink(p.money(claim.amount), 11))}
<div class="desc">${line(p.v.description, ink(escape(words.slice(0, half).join(' ')), 13))}${line('', ink(escape(words.slice(half).join(' ')), 15))}</div>
<div class="decl">${w.declare}</div>
<div class="sig">${line(w.signed, ink(escape(claim.claimant.split(' ').at(-1)!), 17))}${line(w.dated, ink(p.date(dayAfter(claim.incidentDate, 3 + (h % 6))), 19))}</div>`,
  );
}

/**
 * Held-out-19's scan defects, for the scanned (PNG) pages only (screen media; a PDF prints without them): the page did
 * not lie flat on the glass, so a shadow darkens one side edge, and it had been folded in three for an envelope,
 * so a crease runs across it — a dark line with a pale one under it.
 */
function foldAndShadow(h: number): string {
  const side = h % 2 ? 'left' : 'right';
  const crease = 340 + (h % 90);
  return `@media screen {
  .sheet::before { content: ''; position: absolute; top: 0; bottom: 0; ${side}: 0; width: 96px; z-index: 5; pointer-events: none; background: linear-gradient(to ${side === 'left' ? 'right' : 'left'}, rgba(20, 20, 20, 0.62), rgba(20, 20, 20, 0.22) 45%, rgba(20, 20, 20, 0)); }
  .sheet::after { content: ''; position: absolute; left: 0; right: 0; top: ${crease}px; height: 7px; z-index: 5; pointer-events: none; transform: rotate(${((h % 7) - 3) / 10}deg); background: linear-gradient(to bottom, rgba(0, 0, 0, 0), rgba(0, 0, 0, 0.24) 40%, rgba(255, 255, 255, 0.6) 62%, rgba(0, 0, 0, 0.05) 80%, rgba(0, 0, 0, 0)); }
}`;
}

const EINVOICE = {
  en: { viewer: 'E-Invoice Viewer', file: 'File', tabs: ['Overview', 'Line items', 'Attachments', 'Source XML'], doc: 'Invoice data', seller: 'Seller', buyer: 'Buyer', lines: 'Invoice lines', line: 'Line no.', totals: 'Document totals', payment: 'Payment instructions', means: 'Payment means', transfer: 'Credit transfer', account: 'Payment account', buyerRef: 'Buyer reference', currency: 'Invoice currency code', type: 'Invoice type code', commercial: 'Commercial invoice', vatId: 'Seller VAT identifier', prepaid: 'Paid amount', payable: 'Amount due for payment', rendered: 'Rendered', valid: 'Validation: no errors', copy: 'COPY', page: 'Page 1 of 1' },
  de: { viewer: 'E-Rechnungs-Viewer', file: 'Datei', tabs: ['Übersicht', 'Positionen', 'Anlagen', 'Quell-XML'], doc: 'Rechnungsdaten', seller: 'Verkäufer', buyer: 'Käufer', lines: 'Rechnungspositionen', line: 'Positions-Nr.', totals: 'Gesamtbeträge', payment: 'Zahlungsinformationen', means: 'Zahlungsart', transfer: 'Überweisung', account: 'Zahlungskonto', buyerRef: 'Käuferreferenz (Leitweg-ID)', currency: 'Code für die Rechnungswährung', type: 'Code für den Rechnungstyp', commercial: 'Handelsrechnung', vatId: 'USt-IdNr. des Verkäufers', prepaid: 'Gezahlter Betrag', payable: 'Fälliger Zahlungsbetrag', rendered: 'Erzeugt', valid: 'Prüfung: keine Fehler', copy: 'KOPIE', page: 'Seite 1 von 1' },
  fr: { viewer: 'Visionneuse de factures électroniques', file: 'Fichier', tabs: ['Synthèse', 'Lignes', 'Pièces jointes', 'XML source'], doc: 'Données de la facture', seller: 'Vendeur', buyer: 'Acheteur', lines: 'Lignes de facture', line: 'N° de ligne', totals: 'Totaux du document', payment: 'Instructions de paiement', means: 'Moyen de paiement', transfer: 'Virement', account: 'Compte de paiement', buyerRef: 'Référence acheteur (service)', currency: 'Code de devise de la facture', type: 'Code de type de facture', commercial: 'Facture commerciale', vatId: 'Identifiant TVA du vendeur', prepaid: 'Montant payé', payable: 'Montant à payer', rendered: 'Généré le', valid: 'Contrôle : aucune erreur', copy: 'COPIE', page: 'Page 1 sur 1' },
  nl: { viewer: 'E-factuurviewer', file: 'Bestand', tabs: ['Overzicht', 'Regels', 'Bijlagen', 'Bron-XML'], doc: 'Factuurgegevens', seller: 'Verkoper', buyer: 'Koper', lines: 'Factuurregels', line: 'Regelnummer', totals: 'Documenttotalen', payment: 'Betaalinstructies', means: 'Betaalwijze', transfer: 'Overboeking', account: 'Betaalrekening', buyerRef: 'Referentie koper', currency: 'Valutacode factuur', type: 'Factuurtypecode', commercial: 'Handelsfactuur', vatId: 'Btw-nummer verkoper', prepaid: 'Betaald bedrag', payable: 'Te betalen bedrag', rendered: 'Weergegeven', valid: 'Validatie: geen fouten', copy: 'KOPIE', page: 'Pagina 1 van 1' },
} as const;

/** Held-out-19: an e-invoice (EN 16931) as a viewer prints it — the viewer's title bar with the file name and tabs, every value in a small box under its semantic label and term code ("BT-1"), the lines as rows of boxes rather than a table, totals including a paid amount and the amount due, a buyer reference and the seller's VAT identifier among the IDs, the date and time it was rendered in the footer, and a large diagonal "COPY" printed across the page. */
function einvoice(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(EINVOICE, p.v);
  const h = hashOf(inv.invoiceNumber + inv.vendor + inv.customer);
  const box = (code: string, label: string, value: string, cls = ''): string => `<div class="b ${cls}"><div class="l"><span class="bt">${code}</span> ${label}</div><div class="v">${value}</div></div>`;
  const vat = `${['NL', 'DE', 'FR', 'BE'][h % 4]}${String(100000000 + (h % 899999999))}${h % 4 === 0 ? 'B01' : ''}`;
  const buyerRef = `${String(h % 100000000).padStart(8, '0')}-${String((h >>> 5) % 100000).padStart(5, '0')}-${String(h % 97).padStart(2, '0')}`;
  const iban = ['NL91 ABNA 0417 1643 00', 'DE44 5001 0517 5407 3249 31', 'FR76 3000 6000 0112 3456 7890 189', 'BE68 5390 0754 7034'][h % 4]!;
  const rendered = dayAfter(inv.invoiceDate, 2 + (h % 9));
  const file = `${inv.invoiceNumber.replace(/[^0-9A-Za-z]+/g, '_')}.xml`;
  const lines = inv.items.map((i, n) => `<div class="row">${box('BT-126', w.line, String(n + 1), 'xs')}${box('BT-153', p.v.item, escape(i.description), 'wide')}${box('BT-129', p.v.quantity, String(i.quantity), 'xs')}${box('BT-146', p.v.unitPrice, p.money(i.unitPrice))}${box('BT-131', p.v.amount, p.money(i.amount))}</div>`).join('');
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.sheet { padding: 40px 48px !important; } .bar { background: #24415e; color: #fff; padding: 7px 12px; font-size: 13px; display: flex; justify-content: space-between; } .bar span { font-size: 11px; opacity: 0.85; }
.tabs { display: flex; gap: 2px; border-bottom: 2px solid #24415e; margin-bottom: 12px; } .tabs div { font-size: 11px; padding: 5px 12px; background: #e4e9ef; color: #333; } .tabs div:first-child { background: #24415e; color: #fff; }
h2 { font-size: 12px; margin: 12px 0 5px; color: #24415e; text-transform: uppercase; letter-spacing: 0.5px; }
.row { display: flex; gap: 5px; margin-bottom: 5px; } .b { border: 1px solid #b7c2cf; padding: 3px 6px; flex: 1; min-width: 0; } .b.xs { flex: 0.45; } .b.wide { flex: 2.2; }
.l { font-size: 9px; color: #555; white-space: nowrap; overflow: hidden; } .bt { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5px; color: #24415e; background: #e4e9ef; padding: 0 3px; } .v { font-size: 12.5px; margin-top: 1px; }
.two { display: flex; gap: 12px; } .two > div { flex: 1; }
.wm { position: absolute; left: 0; right: 0; top: 420px; text-align: center; font-size: 190px; font-weight: bold; letter-spacing: 18px; color: rgba(190, 30, 30, 0.16); transform: rotate(-33deg); pointer-events: none; z-index: 4; }
.foot { position: absolute; left: 48px; right: 48px; bottom: 30px; font-size: 9.5px; color: #666; display: flex; justify-content: space-between; border-top: 1px solid #ccc; padding-top: 5px; }
${foldAndShadow(h)}`,
    `<div class="bar"><b>${w.viewer}</b><span>${w.file}: ${escape(file)}</span></div><div class="tabs">${w.tabs.map((t) => `<div>${t}</div>`).join('')}</div>
<h2>${w.doc}</h2><div class="row">${box('BT-1', p.v.invoiceNumber, inv.invoiceNumber)}${box('BT-2', p.v.invoiceDate, p.date(inv.invoiceDate))}${box('BT-9', p.v.dueDate, p.date(inv.dueDate))}${box('BT-3', w.type, `380 · ${w.commercial}`)}</div>
<div class="row">${box('BT-5', w.currency, inv.currency)}${box('BT-10', w.buyerRef, buyerRef)}${inv.po ? box('BT-13', p.v.poNumber, inv.po) : box('BT-13', p.v.poNumber, '—')}</div>
<div class="two"><div><h2>${w.seller}</h2>${box('BT-27', p.v.vendor, escape(inv.vendor))}<div class="row" style="margin-top:5px">${box('BT-35', '', inv.vendorLines.map(escape).join(', '))}</div>${box('BT-31', w.vatId, vat)}</div>
<div><h2>${w.buyer}</h2>${box('BT-44', p.v.billTo, escape(inv.customer))}</div></div>
<h2>${w.lines}</h2>${lines}
<h2>${w.totals}</h2><div class="row">${box('BT-106', p.v.subtotal, p.money(inv.subtotal))}${box('BT-110', p.v.tax(inv.taxRate), p.money(inv.tax))}${box('BT-112', p.v.total, p.money(inv.total))}</div>
<div class="row">${box('BT-113', w.prepaid, p.money(0))}${box('BT-115', w.payable, `<b>${p.money(inv.total)}</b>`)}<div class="b" style="visibility:hidden"></div></div>
<h2>${w.payment}</h2><div class="row">${box('BT-81', w.means, `58 · ${w.transfer}`)}${box('BT-84', w.account, iban)}${box('BT-83', '', escape(p.v.thanks), 'wide')}</div>
<div class="wm">${w.copy}</div>
<div class="foot"><span>${w.rendered} ${p.date(rendered)} ${String(8 + (h % 10)).padStart(2, '0')}:${String((h >>> 4) % 60).padStart(2, '0')} · ${w.valid}</span><span>${w.page}</span></div>`,
  );
}

const FOLIO = {
  en: { kind: 'Conference & guest house', title: 'Guest folio', guest: 'Guest', company: 'Company', room: 'Room', arrival: 'Arrival', departure: 'Departure', reservation: 'Reservation no.', cashier: 'Cashier', date: 'Date', charges: 'Charges', credits: 'Credits', deposit: 'Advance deposit, card ending', lessDeposit: 'Less deposit received', balance: 'Balance due', ledger: 'Balance transferred to the company account (city ledger) and payable by invoice.', signature: 'Guest signature', charge: ['Room, bed & breakfast', 'Conference room hire', 'Dinner, restaurant', 'Bar', 'Parking', 'Laundry'] },
  de: { kind: 'Tagungs- und Gästehaus', title: 'Gastrechnung', guest: 'Gast', company: 'Firma', room: 'Zimmer', arrival: 'Anreise', departure: 'Abreise', reservation: 'Reservierungs-Nr.', cashier: 'Kasse', date: 'Datum', charges: 'Belastung', credits: 'Gutschrift', deposit: 'Anzahlung, Karte endend auf', lessDeposit: 'abzgl. erhaltene Anzahlung', balance: 'Offener Saldo', ledger: 'Saldo auf Firmenkonto übertragen, zahlbar auf Rechnung.', signature: 'Unterschrift des Gastes', charge: ['Übernachtung mit Frühstück', 'Tagungsraummiete', 'Abendessen Restaurant', 'Bar', 'Parkhaus', 'Wäscheservice'] },
  fr: { kind: 'Centre de séminaires et maison d’hôtes', title: 'Note de séjour', guest: 'Client', company: 'Société', room: 'Chambre', arrival: 'Arrivée', departure: 'Départ', reservation: 'N° de réservation', cashier: 'Caisse', date: 'Date', charges: 'Débit', credits: 'Crédit', deposit: 'Acompte, carte se terminant par', lessDeposit: 'Acompte reçu déduit', balance: 'Solde dû', ledger: 'Solde transféré sur le compte société, payable sur facture.', signature: 'Signature du client', charge: ['Chambre et petit-déjeuner', 'Location salle de séminaire', 'Dîner, restaurant', 'Bar', 'Parking', 'Blanchisserie'] },
  nl: { kind: 'Congres- en gastenverblijf', title: 'Gastennota', guest: 'Gast', company: 'Bedrijf', room: 'Kamer', arrival: 'Aankomst', departure: 'Vertrek', reservation: 'Reserveringsnr.', cashier: 'Kassa', date: 'Datum', charges: 'Debet', credits: 'Credit', deposit: 'Aanbetaling, kaart eindigend op', lessDeposit: 'Af: ontvangen aanbetaling', balance: 'Openstaand saldo', ledger: 'Saldo overgeboekt naar de bedrijfsrekening, te voldoen op factuur.', signature: 'Handtekening gast', charge: ['Logies met ontbijt', 'Huur vergaderzaal', 'Diner restaurant', 'Bar', 'Parkeren', 'Wasservice'] },
} as const;

const GUESTS = ['R. Okonkwo', 'M. van Dijk', 'S. Lindqvist', 'A. Ferreira', 'J. Whitlock', 'C. Brunner'];

/** Held-out-19: a hotel's guest folio billed to a company — the house named in the header over the kind of house, the guest, room, arrival and departure and a reservation number beside the invoice's own number and date, the charges posted day by day (each row with its own date) in a charges column beside a credits column holding an advance deposit printed as a credit, the net, the VAT and the total, then the deposit deducted again and a balance due that is not the total; the due date in a city-ledger note. */
function folio(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(FOLIO, p.v);
  const h = hashOf(inv.vendor + inv.invoiceNumber);
  const nights = 1 + (h % 4);
  const arrival = dayAfter(inv.invoiceDate, -nights);
  const deposit = Math.round(inv.total * (0.2 + (h % 3) * 0.1) * 100) / 100;
  const balance = Math.round((inv.total - deposit) * 100) / 100;
  const card = String(1000 + (h % 9000));
  const head = (label: string, value: string): string => `<tr><td class="l">${label}</td><td>${value}</td></tr>`;
  const rows = inv.items.map((i, n) => `<tr><td>${p.date(dayAfter(arrival, Math.min(n, nights)))}</td><td>${escape(w.charge[(h + n) % w.charge.length]!)} <span class="d">(${escape(i.description)})</span></td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td><td></td></tr>`).join('');
  return page(
    '"DejaVu Serif", Georgia, serif',
    `.sheet { padding: 46px 58px !important; } .hd { text-align: center; border-bottom: 1px solid #8a6d3b; padding-bottom: 10px; } .hd .nm { font-size: 24px; letter-spacing: 2px; color: #5a4320; } .hd .k { font-size: 11px; font-style: italic; color: #8a6d3b; } .hd .a { font-size: 10.5px; color: #555; margin-top: 3px; }
h1 { font-size: 17px; font-weight: normal; letter-spacing: 3px; text-transform: uppercase; margin: 16px 0 4px; } .sub { font-size: 11px; color: #666; margin-bottom: 10px; }
.meta { display: flex; gap: 30px; } .meta table td { font-size: 12px; padding: 2px 12px 2px 0; } .meta td.l { color: #666; }
.items { width: 100%; margin-top: 16px; font-size: 12px; font-family: "DejaVu Sans", sans-serif; } .items th { font-size: 10.5px; text-align: left; border-top: 1px solid #5a4320; border-bottom: 1px solid #5a4320; padding: 4px; } .items th.n { text-align: right; } .items td { padding: 4px; border-bottom: 1px dotted #ccc; } .items .d { font-size: 9.5px; color: #777; }
.sum { margin: 12px 0 0 auto; font-size: 12.5px; font-family: "DejaVu Sans", sans-serif; } .sum td { padding: 3px 0 3px 34px; text-align: right; } .sum tr.t td { font-weight: bold; border-top: 1px solid #5a4320; } .sum tr.bal td { font-weight: bold; font-size: 14px; border-top: 2px double #5a4320; padding-top: 5px; }
.ledger { font-size: 11px; margin-top: 18px; } .sig { margin-top: 36px; width: 260px; border-top: 1px solid #444; font-size: 10px; color: #555; padding-top: 3px; }
.foot { position: absolute; left: 58px; right: 58px; bottom: 36px; font-size: 9.5px; color: #666; text-align: center; border-top: 1px solid #ccc; padding-top: 5px; }
${foldAndShadow(h)}`,
    `<div class="hd"><div class="nm">${escape(inv.vendor)}</div><div class="k">${w.kind}</div><div class="a">${inv.vendorLines.map(escape).join(' · ')}</div></div>
<h1>${w.title} · ${p.v.invoiceTitle}</h1><div class="sub">${w.cashier} ${String(h % 9 + 1).padStart(2, '0')} · ${w.reservation} ${String(400000 + (h % 599999))}</div>
<div class="meta"><table>${head(w.guest, escape(GUESTS[h % GUESTS.length]!))}${head(w.company, escape(inv.customer))}${head(w.room, String(100 + (h % 420)))}</table>
<table>${head(w.arrival, p.date(arrival))}${head(w.departure, p.date(inv.invoiceDate))}</table>
<table>${head(p.v.invoiceNumber, inv.invoiceNumber)}${head(p.v.invoiceDate, p.date(inv.invoiceDate))}${inv.po ? head(p.v.poNumber, inv.po) : ''}</table></div>
<table class="items"><tr><th>${w.date}</th><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${w.charges}</th><th class="n">${w.credits}</th></tr>
<tr><td>${p.date(arrival)}</td><td>${w.deposit} ${card}</td><td></td><td></td><td></td><td class="n">${p.money(-deposit)}</td></tr>${rows}</table>
<table class="sum"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr class="t"><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr>
<tr><td>${w.lessDeposit}</td><td>${p.money(-deposit)}</td></tr><tr class="bal"><td>${w.balance}</td><td>${p.money(balance)}</td></tr></table>
<div class="ledger">${w.ledger} ${p.v.dueDate}: ${p.date(inv.dueDate)}</div>
<div class="sig">${w.signature}</div>
<div class="foot">${escape(inv.vendor)} · ${inv.vendorLines.map(escape).join(' · ')} · ${escape(p.v.thanks)}</div>`,
  );
}

const CHAT = {
  en: { app: 'Harbourline Home & Motor', transcript: 'Chat transcript', with: 'Conversation with', started: 'Started', bot: 'Ava (virtual assistant)', hello: 'Hi, I’m Ava, the claims assistant. I can register your claim in a few minutes. What is your full name?', policy: 'Thanks! What is your policy number? You’ll find it on your renewal letter.', policyAnswer: (v: string) => `it's ${v}`, type: 'Which policy is the claim under?', when: 'When did it happen?', whenAnswer: (v: string) => `on ${v}`, what: 'Please tell me in your own words what happened.', much: 'How much are you claiming, as far as you know today?', muchAnswer: (v: string) => `The repair quote I got says ${v} in total, so that's what I'm claiming.`, excess: (v: string) => `Noted. Your policy has an excess of ${v}, which will be deducted from any settlement.`, phone: 'Last question: which number can a claims handler call you on?', phoneAnswer: (v: string) => `${v}, best after 5pm`, summary: 'Here is a summary of what you told me:', done: (ref: string) => `Thank you. Your claim is registered under reference ${ref}. A claims handler will contact you within 2 working days.`, ended: 'The conversation has ended. A copy has been sent to your e-mail address.', printed: 'Printed' },
  de: { app: 'Hafenlinie Versicherung', transcript: 'Chatverlauf', with: 'Unterhaltung mit', started: 'Begonnen', bot: 'Ava (digitale Assistentin)', hello: 'Hallo, ich bin Ava, die Schadenassistentin. Ich nehme Ihren Schaden in wenigen Minuten auf. Wie lautet Ihr vollständiger Name?', policy: 'Danke! Wie lautet Ihre Versicherungsscheinnummer? Sie steht auf Ihrer Beitragsrechnung.', policyAnswer: (v: string) => `das ist die ${v}`, type: 'Welcher Vertrag ist betroffen?', when: 'Wann ist es passiert?', whenAnswer: (v: string) => `am ${v}`, what: 'Bitte beschreiben Sie in eigenen Worten, was passiert ist.', much: 'Wie hoch ist der Schaden nach heutigem Stand?', muchAnswer: (v: string) => `Laut Kostenvoranschlag ${v} insgesamt, diesen Betrag mache ich geltend.`, excess: (v: string) => `Notiert. Ihr Vertrag hat eine Selbstbeteiligung von ${v}, die von der Entschädigung abgezogen wird.`, phone: 'Letzte Frage: Unter welcher Nummer erreicht Sie die Sachbearbeitung?', phoneAnswer: (v: string) => `${v}, am besten ab 17 Uhr`, summary: 'Hier eine Zusammenfassung Ihrer Angaben:', done: (ref: string) => `Vielen Dank. Ihr Schaden ist unter dem Aktenzeichen ${ref} erfasst. Die Sachbearbeitung meldet sich innerhalb von 2 Werktagen.`, ended: 'Die Unterhaltung ist beendet. Eine Kopie wurde an Ihre E-Mail-Adresse gesendet.', printed: 'Gedruckt' },
  fr: { app: 'Assurances Ligne du Port', transcript: 'Historique de la conversation', with: 'Conversation avec', started: 'Commencée le', bot: 'Ava (assistante virtuelle)', hello: 'Bonjour, je suis Ava, l’assistante sinistres. J’enregistre votre déclaration en quelques minutes. Quel est votre nom complet ?', policy: 'Merci ! Quel est votre numéro de contrat ? Il figure sur votre avis d’échéance.', policyAnswer: (v: string) => `c'est le ${v}`, type: 'Quel contrat est concerné ?', when: 'Quand cela s’est-il produit ?', whenAnswer: (v: string) => `le ${v}`, what: 'Décrivez-moi avec vos mots ce qui s’est passé.', much: 'Quel montant réclamez-vous, à ce jour ?', muchAnswer: (v: string) => `Le devis de réparation indique ${v} au total, c'est ce que je réclame.`, excess: (v: string) => `C’est noté. Votre contrat prévoit une franchise de ${v}, déduite de toute indemnité.`, phone: 'Dernière question : à quel numéro un gestionnaire peut-il vous rappeler ?', phoneAnswer: (v: string) => `${v}, plutôt après 17 h`, summary: 'Voici le résumé de vos réponses :', done: (ref: string) => `Merci. Votre sinistre est enregistré sous la référence ${ref}. Un gestionnaire vous contactera sous 2 jours ouvrés.`, ended: 'La conversation est terminée. Une copie a été envoyée à votre adresse e-mail.', printed: 'Imprimé le' },
  nl: { app: 'Havenlijn Verzekeringen', transcript: 'Chatgesprek', with: 'Gesprek met', started: 'Gestart', bot: 'Ava (digitale assistent)', hello: 'Hallo, ik ben Ava, de schade-assistent. Ik neem uw schade binnen een paar minuten op. Wat is uw volledige naam?', policy: 'Dank u! Wat is uw polisnummer? U vindt het op uw polisblad.', policyAnswer: (v: string) => `dat is ${v}`, type: 'Onder welke verzekering valt de schade?', when: 'Wanneer is het gebeurd?', whenAnswer: (v: string) => `op ${v}`, what: 'Vertel in uw eigen woorden wat er is gebeurd.', much: 'Welk bedrag claimt u, voor zover u nu weet?', muchAnswer: (v: string) => `Volgens de offerte van de reparateur ${v} in totaal, dat bedrag claim ik.`, excess: (v: string) => `Genoteerd. Uw polis heeft een eigen risico van ${v}, dat van de uitkering wordt afgetrokken.`, phone: 'Laatste vraag: op welk nummer kan een schadebehandelaar u bellen?', phoneAnswer: (v: string) => `${v}, liefst na 17.00 uur`, summary: 'Hier is een samenvatting van uw antwoorden:', done: (ref: string) => `Dank u. Uw schade is geregistreerd onder referentie ${ref}. Een schadebehandelaar neemt binnen 2 werkdagen contact met u op.`, ended: 'Het gesprek is beëindigd. Een kopie is naar uw e-mailadres gestuurd.', printed: 'Afgedrukt' },
} as const;

/** Held-out-19: a claim reported through an insurer's chat assistant and printed from the customer's account — the app's header, the conversation's own start date, the assistant's questions in bubbles on the left and the customer's answers on the right with a time under each, the kind of claim as quick-reply buttons with the chosen one filled, every answer typed in a sentence ("it's …", "on …", "The repair quote I got says … in total"), the policy excess named by the assistant, a summary card with some of the facts under their labels, and a claim reference of its own. */
function chat(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(CHAT, p.v);
  const h = hashOf(claim.claimant + claim.policyNumber);
  const started = dayAfter(claim.incidentDate, 1 + (h % 5));
  const excess = [100, 150, 250, 500][h % 4]!;
  const reference = `CLM-${String(started).slice(2, 4)}${String(100000 + (h % 899999))}`;
  let minute = 60 * (9 + (h % 9)) + ((h >>> 4) % 50);
  const time = (): string => {
    minute += 1 + (minute % 3);
    return `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  };
  // The assistant's name over its first message only, as chat windows group a sender's messages.
  let named = false;
  const bot = (text: string): string => {
    const who = named ? '' : `<div class="who">${w.bot}</div>`;
    named = true;
    return `${who}<div class="m bot"><div class="bub">${text}</div><div class="t">${time()}</div></div>`;
  };
  const me = (text: string): string => `<div class="m me"><div class="t">${time()} ✓✓</div><div class="bub">${text}</div></div>`;
  const choices = (['Auto', 'Home', 'Travel'] as const).map((t) => `<span class="qr${t === claim.claimType ? ' on' : ''}">${escape(p.v.claimTypes[t])}</span>`).join('');
  const card = [[p.v.policyNumber, claim.policyNumber], [p.v.claimType, escape(p.v.claimTypes[claim.claimType])], [p.v.incidentDate, p.date(claim.incidentDate)]].map(([l, v]) => `<tr><td>${l}</td><td>${v}</td></tr>`).join('');
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.sheet { padding: 32px 66px !important; background: #fff; } .app { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 3px solid #136f63; padding-bottom: 6px; } .app b { font-size: 16px; color: #136f63; } .app span { font-size: 10px; color: #666; }
h1 { font-size: 15px; margin: 10px 0 2px; } .sub { font-size: 10.5px; color: #555; margin-bottom: 10px; }
.m { display: flex; align-items: flex-end; gap: 6px; margin: 0 0 6px; } .m.me { justify-content: flex-end; }
.who { font-size: 9px; color: #136f63; margin-bottom: 2px; } .bub { max-width: 68%; font-size: 11.5px; line-height: 1.32; padding: 5px 10px; border-radius: 12px; } .bot .bub { background: #eef1f2; border-top-left-radius: 3px; } .me .bub { background: #136f63; color: #fff; border-top-right-radius: 3px; }
.t { font-size: 8.5px; color: #888; white-space: nowrap; } .qrs { margin: 0 0 6px; } .qr { display: inline-block; font-size: 10.5px; border: 1px solid #136f63; color: #136f63; border-radius: 12px; padding: 2px 10px; margin-right: 5px; } .qr.on { background: #136f63; color: #fff; }
.card { border: 1px solid #c9d3d6; border-radius: 8px; padding: 5px 10px; margin: 0 0 6px; width: 62%; font-size: 11px; } .card td { padding: 1px 14px 1px 0; } .card td:first-child { color: #555; }
.end { text-align: center; font-size: 9.5px; color: #777; margin-top: 8px; } .foot { position: absolute; left: 70px; right: 70px; bottom: 26px; font-size: 9px; color: #888; display: flex; justify-content: space-between; }
${foldAndShadow(h)}`,
    `<div class="app"><b>${w.app}</b><span>${p.v.claimTitle}</span></div>
<h1>${w.transcript} · ${w.with} ${escape(claim.claimant)}</h1><div class="sub">${w.started}: ${p.date(started)} · ${reference}</div>
${bot(w.hello)}${me(escape(claim.claimant))}
${bot(w.policy)}${me(escape(w.policyAnswer(claim.policyNumber)))}
${bot(w.type)}<div class="qrs">${choices}</div>${me(escape(p.v.claimTypes[claim.claimType]))}
${bot(w.when)}${me(escape(w.whenAnswer(p.date(claim.incidentDate))))}
${bot(w.what)}${me(escape(claim.description))}
${bot(w.much)}${me(escape(w.muchAnswer(p.money(claim.amount))))}
${bot(escape(w.excess(p.money(excess))))}
${bot(w.phone)}${me(escape(w.phoneAnswer(claim.phone)))}
${bot(w.summary)}<div class="card"><table>${card}</table></div>
${bot(escape(w.done(reference)))}
<div class="end">${w.ended}</div>
<div class="foot"><span>${w.printed} ${p.date(dayAfter(started, h % 3))}</span><span>1/1</span></div>`,
  );
}

/**
 * Held-out-20's scan defects, for the scanned (PNG) pages only (screen media; a PDF prints without them): the page
 * had been punched for a ring binder, so two filing holes along the left edge show the scanner's grey lid through
 * them, and a staple in the top left corner left its two marks and a small dog-ear.
 */
function punchedAndStapled(h: number): string {
  const top = 330 + (h % 60);
  return `@media screen {
  .sheet::before { content: ''; position: absolute; left: 22px; top: ${top}px; width: 26px; height: 26px; border-radius: 50%; z-index: 5; pointer-events: none; background: #8f8f8c; box-shadow: 0 ${230 + (h % 40)}px 0 0 #8f8f8c, inset 2px 2px 3px rgba(0, 0, 0, 0.45), 0 ${230 + (h % 40)}px 3px 1px rgba(0, 0, 0, 0.25); }
  .sheet::after { content: ''; position: absolute; left: 0; top: 0; width: 34px; height: 34px; z-index: 5; pointer-events: none; background: linear-gradient(135deg, #8f8f8c 0, #8f8f8c 48%, rgba(0, 0, 0, 0.3) 50%, #e6e4dc 54%, rgba(255, 255, 255, 0) 70%); }
  .sheet > .staple { position: absolute; left: 30px; top: 18px; width: 22px; height: 3px; background: #555; transform: rotate(-40deg); box-shadow: 0 14px 0 0 #666; z-index: 5; }
}`;
}

const ONES = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** A whole number below a million in English words, as cheques and certificates write it ("twelve thousand four hundred and six"). */
function englishWords(n: number): string {
  const below100 = (k: number): string => (k < 20 ? ONES[k]! : `${TENS[Math.floor(k / 10)]}${k % 10 ? `-${ONES[k % 10]}` : ''}`);
  const below1000 = (k: number): string => {
    const rest = k % 100;
    const hundreds = Math.floor(k / 100);
    return [hundreds ? `${ONES[hundreds]} hundred` : '', rest ? below100(rest) : ''].filter(Boolean).join(' and ');
  };
  if (n === 0) return 'zero';
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  return [thousands ? `${below1000(thousands)} thousand` : '', rest ? (thousands && rest < 100 ? `and ${below100(rest)}` : below1000(rest)) : ''].filter(Boolean).join(' ');
}

const PROGRESS = {
  en: { title: 'Interim Payment Application', valuation: 'Valuation no.', upTo: 'Work valued up to', project: 'Project', site: ['Riverside Health Centre, phase 2', 'Depot refurbishment, Block C', 'Office fit-out, 3rd floor', 'School extension and canopy'], contract: 'Contract no.', summary: 'Contract summary', original: 'Original contract sum', variations: 'Approved variations', revised: 'Revised contract sum', toDate: 'Gross value of work done to date', previous: 'Less previous certificates', thisValuation: 'Value of this valuation (net)', schedule: 'Schedule of work', no: 'Item', value: 'Contract value', prev: 'Previous', period: 'This period', cumulative: 'To date', pct: '% done', retention: (r: number) => `Less retention ${r}% (released at practical completion)`, due: 'Amount due this certificate', words: 'In words', currency: 'All amounts in', stamp: 'CERTIFIED FOR PAYMENT', qs: 'Quantity surveyor', signed: 'For the contractor', works: ['Preliminaries and site set-up', 'Groundworks and drainage', 'Structural steel frame', 'Brickwork and blockwork', 'Roof coverings', 'Windows and external doors', 'Mechanical installation', 'Electrical installation', 'Internal finishes'] },
  de: { title: 'Abschlagsrechnung', valuation: 'Abschlag Nr.', upTo: 'Leistungsstand bis', project: 'Bauvorhaben', site: ['Ärztehaus am Fluss, 2. BA', 'Betriebshof, Sanierung Halle C', 'Büroausbau 3. OG', 'Schulerweiterung mit Pausendach'], contract: 'Vertrags-Nr.', summary: 'Vertragsübersicht', original: 'Auftragssumme (Hauptauftrag)', variations: 'Beauftragte Nachträge', revised: 'Auftragssumme gesamt', toDate: 'Gesamtleistung bis heute', previous: 'abzgl. bisherige Abschläge', thisValuation: 'Leistung dieses Abschlags (netto)', schedule: 'Leistungsaufstellung', no: 'Pos.', value: 'Auftragswert', prev: 'Bisher', period: 'Dieser Abschlag', cumulative: 'Gesamt', pct: '% fertig', retention: (r: number) => `abzgl. Sicherheitseinbehalt ${r} % (bis zur Abnahme)`, due: 'Auszahlungsbetrag dieses Abschlags', words: '', currency: 'Alle Beträge in', stamp: 'SACHLICH UND RECHNERISCH RICHTIG', qs: 'Bauleitung', signed: 'Für den Auftragnehmer', works: ['Baustelleneinrichtung', 'Erdarbeiten und Entwässerung', 'Stahlbau', 'Mauerarbeiten', 'Dachdeckung', 'Fenster und Außentüren', 'Heizung, Lüftung, Sanitär', 'Elektroinstallation', 'Innenausbau'] },
  fr: { title: 'Situation de travaux', valuation: 'Situation n°', upTo: 'Travaux arrêtés au', project: 'Chantier', site: ['Maison de santé, tranche 2', 'Dépôt, réhabilitation bâtiment C', 'Aménagement de bureaux, 3e étage', 'Extension d’école et préau'], contract: 'Marché n°', summary: 'Récapitulatif du marché', original: 'Montant initial du marché', variations: 'Avenants acceptés', revised: 'Montant du marché actualisé', toDate: 'Travaux exécutés à ce jour', previous: 'Moins situations précédentes', thisValuation: 'Montant de la présente situation (HT)', schedule: 'Décompte par lot', no: 'Lot', value: 'Montant du lot', prev: 'Antérieur', period: 'Présente situation', cumulative: 'Cumul', pct: '% réalisé', retention: (r: number) => `Moins retenue de garantie ${r} % (libérée à la réception)`, due: 'Montant à payer sur cette situation', words: '', currency: 'Montants exprimés en', stamp: 'BON POUR PAIEMENT', qs: 'Maître d’œuvre', signed: 'Pour l’entreprise', works: ['Installation de chantier', 'Terrassement et réseaux', 'Charpente métallique', 'Maçonnerie', 'Couverture', 'Menuiseries extérieures', 'Chauffage, ventilation, plomberie', 'Électricité', 'Finitions intérieures'] },
  pl: { title: 'Faktura częściowa za roboty budowlane', valuation: 'Protokół zaawansowania nr', upTo: 'Roboty wykonane do', project: 'Inwestycja', site: ['Przychodnia nad rzeką, etap 2', 'Zajezdnia, modernizacja hali C', 'Wykończenie biur, 3 piętro', 'Rozbudowa szkoły z zadaszeniem'], contract: 'Umowa nr', summary: 'Podsumowanie umowy', original: 'Wynagrodzenie umowne', variations: 'Zatwierdzone roboty dodatkowe', revised: 'Wynagrodzenie po zmianach', toDate: 'Wartość robót wykonanych narastająco', previous: 'Minus poprzednie faktury częściowe', thisValuation: 'Wartość bieżącego okresu (netto)', schedule: 'Zestawienie robót', no: 'Poz.', value: 'Wartość umowna', prev: 'Poprzednio', period: 'Bieżący okres', cumulative: 'Narastająco', pct: '% wyk.', retention: (r: number) => `Minus kaucja gwarancyjna ${r}% (zwrot po odbiorze)`, due: 'Do zapłaty za ten okres', words: '', currency: 'Kwoty w', stamp: 'ZATWIERDZONO DO ZAPŁATY', qs: 'Inspektor nadzoru', signed: 'Za wykonawcę', works: ['Zaplecze budowy', 'Roboty ziemne i kanalizacja', 'Konstrukcja stalowa', 'Roboty murowe', 'Pokrycie dachu', 'Stolarka okienna i drzwiowa', 'Instalacje sanitarne i HVAC', 'Instalacje elektryczne', 'Wykończenie wnętrz'] },
} as const;

/**
 * Held-out-20: a contractor's interim payment application (progress invoice) — a project and contract number, a
 * valuation number and the date the work is valued up to beside the invoice's number and dates, a contract summary
 * (original sum, variations, revised sum, gross value of work done to date, less previous certificates printed
 * negative, this valuation), a schedule of work whose "this period" column is the invoice's lines (contract value,
 * previous, this period, to date, % done), net, tax and total, then retention withheld and an amount due that is NOT
 * the total (in English also in words), and a rubber stamp certifying it for payment across the signatures.
 */
function progress(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(PROGRESS, p.v);
  const h = hashOf(inv.invoiceNumber + inv.customer + inv.vendor);
  const cents = (n: number): number => Math.round(n * 100) / 100;
  const rows = inv.items.map((i, n) => {
    const k = (h >>> (n * 3)) % 7;
    const previous = cents(i.amount * (0.4 + k * 0.45));
    const toDate = cents(previous + i.amount);
    const share = 0.38 + (((h >>> (n * 2 + 1)) % 11) * 0.05);
    const value = cents(Math.ceil(toDate / share / 10) * 10);
    return { work: w.works[(h + n * 4) % w.works.length]!, value, previous, amount: i.amount, toDate, pct: Math.round((toDate / value) * 100) };
  });
  const sum = (list: number[]): number => cents(list.reduce((a, b) => a + b, 0));
  const revised = sum(rows.map((r) => r.value));
  const variations = cents(Math.round(revised * (0.03 + (h % 5) * 0.01)));
  const previous = sum(rows.map((r) => r.previous));
  const toDate = cents(previous + inv.subtotal);
  const rate = h % 2 ? 5 : 3;
  const retention = cents((inv.subtotal * rate) / 100);
  const due = cents(inv.total - retention);
  const valuation = 2 + (h % 9);
  const upTo = dayAfter(inv.invoiceDate, -(2 + (h % 5)));
  const contract = `${['C', 'K', 'M', 'U'][h % 4]}-${String(2020 + (h % 4))}/${String(100 + (h % 900))}`;
  const words = w.words ? `<div class="words">${w.words}: ${englishWords(Math.floor(due))} and ${String(Math.round(due * 100) % 100).padStart(2, '0')}/100 ${inv.currency}</div>` : '';
  const kv = (label: string, value: string, cls = ''): string => `<tr class="${cls}"><td>${label}</td><td class="n">${value}</td></tr>`;
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.sheet { padding: 40px 52px !important; font-size: 12px; } .top { display: flex; justify-content: space-between; border-bottom: 3px solid #c8102e; padding-bottom: 8px; } .top .nm { font-size: 21px; font-weight: bold; } .top .ad { font-size: 10.5px; color: #444; } .top .lbl { font-size: 9.5px; color: #777; text-transform: uppercase; }
h1 { font-size: 17px; margin: 12px 0 2px; } .proj { font-size: 11.5px; color: #333; margin-bottom: 8px; }
.hdr { display: flex; gap: 22px; } .hdr table td { padding: 2px 10px 2px 0; font-size: 11.5px; } .hdr td:first-child { color: #555; } .hdr td:last-child { white-space: nowrap; }
.summary { width: 54%; margin: 10px 0 6px; border: 1px solid #999; } .summary td { padding: 3px 8px; font-size: 11.5px; } .summary caption { text-align: left; font-weight: bold; font-size: 11px; padding: 2px 0; } .summary tr.t td { border-top: 1px solid #999; font-weight: bold; }
h2 { font-size: 12px; margin: 10px 0 4px; text-transform: uppercase; letter-spacing: 0.4px; color: #c8102e; }
.items { width: 100%; font-size: 11px; } .items th { background: #f0e6e8; padding: 4px 5px; text-align: left; font-size: 10px; } .items th.n { text-align: right; } .items td { padding: 4px 5px; border-bottom: 1px solid #ddd; } .items td.p { font-weight: bold; }
.tot { margin: 8px 0 0 auto; width: 58%; font-size: 12px; } .tot td { padding: 3px 6px; } .tot tr.t td { border-top: 1px solid #333; font-weight: bold; } .tot tr.due td { border-top: 2px solid #c8102e; font-weight: bold; font-size: 14px; }
.words { font-size: 11px; font-style: italic; text-align: right; margin-top: 3px; } .cur { font-size: 10px; color: #666; margin-top: 4px; }
.sigs { display: flex; justify-content: space-between; margin-top: 34px; position: relative; } .sigs .s { width: 40%; border-top: 1px solid #444; font-size: 10px; color: #555; padding-top: 3px; }
.stamp { position: absolute; right: 70px; top: -26px; border: 3px double rgba(40, 50, 150, 0.75); color: rgba(40, 50, 150, 0.75); padding: 6px 12px; font-size: 13px; font-weight: bold; text-align: center; transform: rotate(-9deg); letter-spacing: 1px; z-index: 3; } .stamp span { display: block; font-size: 11px; font-weight: normal; }
.foot { position: absolute; left: 52px; right: 52px; bottom: 28px; font-size: 9.5px; color: #666; border-top: 1px solid #ccc; padding-top: 4px; }
${punchedAndStapled(h)}`,
    `<div class="staple"></div><div class="top"><div><div class="lbl">${p.v.vendor}</div><div class="nm">${escape(inv.vendor)}</div><div class="ad">${inv.vendorLines.map(escape).join(' · ')}</div></div>
<div style="text-align:right"><div class="lbl">${p.v.billTo}</div><div>${escape(inv.customer)}</div></div></div>
<h1>${w.title} · ${p.v.invoiceTitle}</h1><div class="proj">${w.project}: ${escape(w.site[h % w.site.length]!)} · ${w.contract} ${contract}</div>
<div class="hdr"><table><tr><td>${p.v.invoiceNumber}</td><td><b>${inv.invoiceNumber}</b></td></tr><tr><td>${p.v.invoiceDate}</td><td>${p.date(inv.invoiceDate)}</td></tr><tr><td>${p.v.dueDate}</td><td>${p.date(inv.dueDate)}</td></tr></table>
<table><tr><td>${w.valuation}</td><td>${valuation}</td></tr><tr><td>${w.upTo}</td><td>${p.date(upTo)}</td></tr>${inv.po ? `<tr><td>${p.v.poNumber}</td><td>${inv.po}</td></tr>` : ''}</table></div>
<table class="summary"><caption>${w.summary}</caption>${kv(w.original, p.money(cents(revised - variations)))}${kv(w.variations, p.money(variations))}${kv(w.revised, p.money(revised), 't')}${kv(w.toDate, p.money(toDate))}${kv(w.previous, p.money(-previous))}${kv(w.thisValuation, p.money(inv.subtotal), 't')}</table>
<h2>${w.schedule}</h2><table class="items"><tr><th>${w.no}</th><th>${p.v.item}</th><th class="n">${w.value}</th><th class="n">${w.prev}</th><th class="n">${w.period}</th><th class="n">${w.cumulative}</th><th class="n">${w.pct}</th></tr>
${rows.map((r, n) => `<tr><td>${n + 1}</td><td>${escape(r.work)}</td><td class="n">${p.money(r.value)}</td><td class="n">${p.money(r.previous)}</td><td class="n p">${p.money(r.amount)}</td><td class="n">${p.money(r.toDate)}</td><td class="n">${r.pct}</td></tr>`).join('')}</table>
<table class="tot">${kv(p.v.subtotal, p.money(inv.subtotal))}${kv(p.v.tax(inv.taxRate), p.money(inv.tax))}${kv(p.v.total, p.money(inv.total), 't')}${kv(w.retention(rate), p.money(-retention))}${kv(w.due, p.money(due), 'due')}</table>
${words}<div class="cur">${w.currency} ${inv.currency}</div>
<div class="sigs"><div class="s">${w.qs}</div><div class="s">${w.signed}</div><div class="stamp">${w.stamp}<span>${p.date(dayAfter(inv.invoiceDate, 1 + (h % 3)))}</span></div></div>
<div class="foot">${escape(inv.vendor)} · ${inv.vendorLines.map(escape).join(' · ')} · ${escape(p.v.thanks)}</div>`,
  );
}

const PLATFORMS = ['Parcelo Business', 'Kramio Marketplace', 'Marktfeld Pro', 'Bazaro'];

const MARKETPLACE = {
  en: { soldBy: 'Sold by', fulfilled: 'Fulfilled by', order: 'Order #', placed: 'Order placed', shipTo: 'Ship to', payment: 'Payment method', terms: 'Pay by invoice', shipping: 'Shipping & handling', promo: 'Shipping promotion', vatRate: 'VAT rate', sellerVat: 'Seller VAT no.', issued: (platform: string) => `This invoice is issued by the seller. ${platform} provides the marketplace and delivery on the seller's behalf.`, slip: 'Packing slip', cut: 'Detach here and keep in the parcel', receiving: 'Goods receiving', inParcel: 'Items in this parcel', returns: 'Returns within 30 days from your account, order #', currency: 'Currency' },
  de: { soldBy: 'Verkauft von', fulfilled: 'Versand durch', order: 'Bestellnummer', placed: 'Bestellt am', shipTo: 'Lieferadresse', payment: 'Zahlungsart', terms: 'Kauf auf Rechnung', shipping: 'Versandkosten', promo: 'Versandrabatt', vatRate: 'USt.-Satz', sellerVat: 'USt-IdNr. Verkäufer', issued: (platform: string) => `Diese Rechnung stellt der Verkäufer aus. ${platform} betreibt den Marktplatz und liefert im Auftrag des Verkäufers.`, slip: 'Lieferschein', cut: 'Hier abtrennen und dem Paket beilegen', receiving: 'Warenannahme', inParcel: 'Artikel in diesem Paket', returns: 'Rücksendung innerhalb von 30 Tagen über Ihr Konto, Bestellung', currency: 'Währung' },
  fr: { soldBy: 'Vendu par', fulfilled: 'Expédié par', order: 'Commande n°', placed: 'Commande passée le', shipTo: 'Adresse de livraison', payment: 'Mode de paiement', terms: 'Paiement à réception de facture', shipping: 'Frais de port', promo: 'Remise frais de port', vatRate: 'Taux TVA', sellerVat: 'N° TVA du vendeur', issued: (platform: string) => `Cette facture est émise par le vendeur. ${platform} exploite la place de marché et livre pour le compte du vendeur.`, slip: 'Bordereau de colis', cut: 'Détacher ici et joindre au colis', receiving: 'Réception des marchandises', inParcel: 'Articles de ce colis', returns: 'Retours sous 30 jours depuis votre compte, commande', currency: 'Devise' },
  pl: { soldBy: 'Sprzedawca', fulfilled: 'Wysyłka realizowana przez', order: 'Nr zamówienia w serwisie', placed: 'Data zamówienia', shipTo: 'Adres dostawy', payment: 'Forma płatności', terms: 'Przelew na podstawie faktury', shipping: 'Koszt dostawy', promo: 'Rabat na dostawę', vatRate: 'Stawka VAT', sellerVat: 'NIP sprzedawcy', issued: (platform: string) => `Fakturę wystawia sprzedawca. ${platform} prowadzi platformę i dostarcza w imieniu sprzedawcy.`, slip: 'List przewozowy / specyfikacja paczki', cut: 'Oderwać i włożyć do paczki', receiving: 'Przyjęcie towaru', inParcel: 'Zawartość paczki', returns: 'Zwrot w ciągu 30 dni na koncie, zamówienie', currency: 'Waluta' },
} as const;

/**
 * Held-out-20: an invoice for an order placed on an online marketplace — the PLATFORM's name is the biggest on the
 * page, the seller (the vendor) only in "Sold by" lines, under each item and in a notice that the seller issues the
 * invoice; the platform's own order number and order date beside the invoice's number and date and the buyer's PO;
 * "Sold by … / Fulfilled by …" under every line, a shipping charge and a shipping promotion that cancels it (printed
 * negative), a VAT-rate column, and below a dashed cut line a packing slip with the order's barcode and the items
 * without prices.
 */
function marketplace(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(MARKETPLACE, p.v);
  const h = hashOf(inv.vendor + inv.invoiceNumber + inv.customer);
  const platform = PLATFORMS[h % PLATFORMS.length]!;
  const order = `${String(100 + (h % 900))}-${String(1000000 + ((h >>> 3) % 8999999))}-${String(1000000 + ((h >>> 7) % 8999999))}`;
  const placed = dayAfter(inv.invoiceDate, -(1 + (h % 4)));
  const shipping = [4.99, 6.9, 9.95, 12.5][h % 4]!;
  const vat = `${['PL', 'DE', 'FR', 'GB'][h % 4]}${String(1000000000 + (h % 899999999))}`;
  const lines = inv.items.map((i) => `<tr><td>${escape(i.description)}<div class="by">${w.soldBy}: ${escape(inv.vendor)} · ${w.fulfilled}: ${platform}</div></td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${inv.taxRate}%</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  const slip = inv.items.map((i) => `<tr><td>☐</td><td>${i.quantity} ×</td><td>${escape(i.description)}</td></tr>`).join('');
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.sheet { padding: 34px 50px !important; font-size: 11.5px; } .brand { display: flex; justify-content: space-between; align-items: center; } .brand b { font-size: 26px; color: #e47911; letter-spacing: -0.5px; } .brand span { font-size: 10px; color: #555; text-align: right; }
h1 { font-size: 16px; margin: 10px 0 8px; border-bottom: 1px solid #bbb; padding-bottom: 4px; }
.meta { display: flex; gap: 16px; } .meta > div { flex: 1; } .meta table td { padding: 1.5px 8px 1.5px 0; } .meta td:first-child { color: #555; } .meta td:last-child { white-space: nowrap; } .meta .h { font-weight: bold; margin-bottom: 2px; }
.items { width: 100%; margin-top: 12px; } .items th { text-align: left; border-bottom: 2px solid #333; padding: 4px; font-size: 10.5px; } .items th.n { text-align: right; } .items td { padding: 4px; border-bottom: 1px solid #e2e2e2; vertical-align: top; } .items .by { font-size: 9px; color: #666; }
.tot { margin: 8px 0 0 auto; } .tot td { padding: 2px 0 2px 30px; text-align: right; } .tot tr.t td { font-weight: bold; font-size: 13px; border-top: 1px solid #333; }
.note { font-size: 9.5px; color: #555; margin-top: 8px; }
.cut { margin: 18px -50px 8px; border-top: 1.5px dashed #777; position: relative; } .cut span { position: absolute; left: 56px; top: -9px; background: #fff; padding: 0 6px; font-size: 9.5px; color: #777; }
.slip { display: flex; gap: 20px; } .slip h2 { font-size: 14px; margin: 4px 0; } .slip table td { padding: 1px 6px 1px 0; font-size: 11px; } .slip .bc { text-align: center; font-size: 10px; font-family: "DejaVu Sans Mono", monospace; }
${punchedAndStapled(h)}`,
    `<div class="staple"></div><div class="brand"><b>${platform}</b><span>${w.soldBy}: ${escape(inv.vendor)}<br>${inv.vendorLines.map(escape).join(', ')}<br>${w.sellerVat}: ${vat}</span></div>
<h1>${p.v.invoiceTitle}</h1>
<div class="meta"><div><table><tr><td>${p.v.invoiceNumber}</td><td><b>${inv.invoiceNumber}</b></td></tr><tr><td>${p.v.invoiceDate}</td><td>${p.date(inv.invoiceDate)}</td></tr><tr><td>${p.v.dueDate}</td><td>${p.date(inv.dueDate)}</td></tr>${inv.po ? `<tr><td>${p.v.poNumber}</td><td>${inv.po}</td></tr>` : ''}</table></div>
<div><table><tr><td>${w.order}</td><td>${order}</td></tr><tr><td>${w.placed}</td><td>${p.date(placed)}</td></tr><tr><td>${w.payment}</td><td>${w.terms}</td></tr><tr><td>${w.currency}</td><td>${inv.currency}</td></tr></table></div>
<div><div class="h">${p.v.billTo}</div>${escape(inv.customer)}<div class="h" style="margin-top:4px">${w.shipTo}</div>${escape(inv.customer)}, ${w.receiving}</div></div>
<table class="items"><tr><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${w.vatRate}</th><th class="n">${p.v.amount}</th></tr>${lines}</table>
<table class="tot"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${w.shipping}</td><td>${p.money(shipping)}</td></tr><tr><td>${w.promo}</td><td>${p.money(-shipping)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr class="t"><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr></table>
<div class="note">${escape(w.issued(platform))} ${escape(p.v.thanks)}</div>
<div class="cut"><span>✂ ${w.cut}</span></div>
<div class="slip"><div style="flex:1"><h2>${w.slip}</h2><table><tr><td>${w.order}</td><td>${order}</td></tr><tr><td>${w.shipTo}</td><td>${escape(inv.customer)}</td></tr></table>
<div style="margin-top:6px;font-weight:bold">${w.inParcel}</div><table>${slip}</table></div>
<div class="bc">${barcode(order)}<br>${order}</div></div>
<div class="note" style="position:absolute;bottom:26px;left:50px;right:50px">${w.returns} ${order} · ${platform}</div>`,
  );
}

/** What a unit of each currency is worth in US dollars (rounded, as a claims form's printed rates are). */
const USD_VALUE: Record<string, number> = { USD: 1, EUR: 1.08, GBP: 1.27, THB: 0.028, JPY: 0.0067, TRY: 0.031, MXN: 0.058, PLN: 0.25, NOK: 0.094, ILS: 0.27, AUD: 0.66, CHF: 1.13 };

const grouped = (n: number, decimals: number): string => {
  const [whole, fraction] = n.toFixed(decimals).split('.') as [string, string | undefined];
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''}`;
};

const TRAVEL = {
  en: { insurer: 'Wayfarer Travel Insurance', title: 'Travel Insurance Claim Form', partA: 'A. Insured person and trip', partB: 'B. What happened', partC: 'C. Expenses claimed', depart: 'Departure date', back: 'Return date', destination: 'Destination', flight: 'Flight no.', booking: 'Booking reference', date: 'Date', what: 'Expense', original: 'Amount paid', rate: 'Rate', converted: 'In claim currency', receipts: 'Receipts attached', total: 'Total claimed', excess: (v: string) => `The policy excess of ${v} per claim will be deducted by the insurer; do not deduct it here.`, declare: 'I declare that the information given is true and complete.', signature: 'Signature of insured', signed: 'Date signed', office: 'For office use — claim no.', ticked: 'Cover section claimed under', expenses: ['Replacement clothing', 'Toiletries and essentials', 'Taxi to the airport', 'Hotel night, non-refundable', 'Rebooked flight', 'Police report copy', 'Replacement phone', 'Doctor’s consultation'] },
  de: { insurer: 'Wanderer Reiseversicherung AG', title: 'Schadenanzeige Reiseversicherung', partA: 'A. Versicherte Person und Reise', partB: 'B. Was ist passiert?', partC: 'C. Geltend gemachte Kosten', depart: 'Abreise', back: 'Rückreise', destination: 'Reiseziel', flight: 'Flug-Nr.', booking: 'Buchungsnummer', date: 'Datum', what: 'Kostenart', original: 'Bezahlter Betrag', rate: 'Kurs', converted: 'In Antragswährung', receipts: 'Belege beigefügt', total: 'Summe der Forderung', excess: (v: string) => `Die Selbstbeteiligung von ${v} je Schadenfall zieht der Versicherer ab; bitte hier nicht abziehen.`, declare: 'Ich versichere, dass meine Angaben wahr und vollständig sind.', signature: 'Unterschrift der versicherten Person', signed: 'Datum der Unterschrift', office: 'Vom Versicherer auszufüllen — Schaden-Nr.', ticked: 'Beantragt unter der Sparte', expenses: ['Ersatzkleidung', 'Hygieneartikel und Notwendiges', 'Taxi zum Flughafen', 'Hotelnacht, nicht erstattbar', 'Umgebuchter Flug', 'Kopie der Polizeianzeige', 'Ersatztelefon', 'Arztbesuch'] },
  fr: { insurer: 'Assurances Voyageur', title: 'Déclaration de sinistre voyage', partA: 'A. Assuré et voyage', partB: 'B. Circonstances', partC: 'C. Frais engagés', depart: 'Date de départ', back: 'Date de retour', destination: 'Destination', flight: 'N° de vol', booking: 'Référence de réservation', date: 'Date', what: 'Nature des frais', original: 'Montant payé', rate: 'Taux', converted: 'En devise du dossier', receipts: 'Justificatifs joints', total: 'Total réclamé', excess: (v: string) => `La franchise de ${v} par sinistre sera déduite par l’assureur ; ne pas la déduire ici.`, declare: 'Je certifie l’exactitude et l’exhaustivité des informations ci-dessus.', signature: 'Signature de l’assuré', signed: 'Date de signature', office: 'Réservé à l’assureur — dossier n°', ticked: 'Garantie mise en jeu', expenses: ['Vêtements de remplacement', 'Produits de première nécessité', 'Taxi pour l’aéroport', 'Nuit d’hôtel non remboursable', 'Vol de remplacement', 'Copie du dépôt de plainte', 'Téléphone de remplacement', 'Consultation médicale'] },
  pl: { insurer: 'Wędrowiec Towarzystwo Ubezpieczeń', title: 'Zgłoszenie szkody z ubezpieczenia podróżnego', partA: 'A. Ubezpieczony i podróż', partB: 'B. Przebieg zdarzenia', partC: 'C. Poniesione koszty', depart: 'Data wyjazdu', back: 'Data powrotu', destination: 'Cel podróży', flight: 'Nr lotu', booking: 'Nr rezerwacji', date: 'Data', what: 'Rodzaj kosztu', original: 'Kwota zapłacona', rate: 'Kurs', converted: 'W walucie roszczenia', receipts: 'Załączone rachunki', total: 'Suma roszczenia', excess: (v: string) => `Udział własny ${v} na szkodę potrąci ubezpieczyciel; proszę go tu nie odejmować.`, declare: 'Oświadczam, że podane informacje są prawdziwe i kompletne.', signature: 'Podpis ubezpieczonego', signed: 'Data podpisu', office: 'Wypełnia ubezpieczyciel — nr szkody', ticked: 'Zakres ubezpieczenia', expenses: ['Odzież zastępcza', 'Artykuły higieniczne', 'Taksówka na lotnisko', 'Nocleg w hotelu, bezzwrotny', 'Zmiana rezerwacji lotu', 'Kopia zgłoszenia na policji', 'Telefon zastępczy', 'Wizyta u lekarza'] },
} as const;

const DESTINATIONS = [['Bangkok, Thailand', 'THB', 'TG'], ['Osaka, Japan', 'JPY', 'NH'], ['Antalya, Türkiye', 'TRY', 'TK'], ['Cancún, Mexico', 'MXN', 'AM'], ['Edinburgh, United Kingdom', 'GBP', 'BA'], ['Lisbon, Portugal', 'EUR', 'TP']] as const;

/**
 * Held-out-20: a travel-insurance claim form — the insured person, policy and cover section, the trip's departure and
 * return dates, destination, flight number and booking reference (dates and an ID that are not the claim's), what
 * happened, and a table of expenses each paid in its own currency (foreign amounts, a printed rate, the amount in the
 * claim's currency), whose total is the sum claimed; the excess named in a note and NOT deducted; the date signed.
 */
function travel(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(TRAVEL, p.v);
  const h = hashOf(claim.policyNumber + claim.claimant);
  const [destination, local, airline] = DESTINATIONS[h % DESTINATIONS.length]!;
  const claimCurrency = MONEY[claim.style.money].currency;
  const depart = dayAfter(claim.incidentDate, -(1 + (h % 6)));
  const back = dayAfter(claim.incidentDate, 2 + ((h >>> 3) % 8));
  // The sum claimed split into 2–4 expenses (in cents, so they add up exactly); each paid in the local currency
  // but the last, paid at home in the claim's own currency.
  const count = 2 + (h % 3);
  const total = Math.round(claim.amount * 100);
  const weights = Array.from({ length: count }, (_, n) => 2 + (hashOf(`${claim.claimant}/${n}/${claim.incidentDate}`) % 9));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((wt) => Math.floor((total * wt) / weightSum));
  parts[count - 1] = total - parts.slice(0, -1).reduce((a, b) => a + b, 0);
  const rows = parts.map((cents, n) => {
    const currency = n === count - 1 ? claimCurrency : local;
    const rate = (USD_VALUE[currency] ?? 1) / (USD_VALUE[claimCurrency] ?? 1);
    const printedRate = Number(rate.toFixed(4));
    const original = currency === claimCurrency ? cents / 100 : cents / 100 / printedRate;
    const decimals = currency === 'JPY' ? 0 : 2;
    const day = dayAfter(depart, Math.min(n + (h % 2), 9));
    return `<tr><td>${p.date(day)}</td><td>${escape(w.expenses[(h + n * 3) % w.expenses.length]!)}</td><td class="n">${currency} ${grouped(original, decimals)}</td><td class="n">${printedRate.toFixed(4)}</td><td class="n">${p.money(cents / 100)}</td><td class="c">☑</td></tr>`;
  });
  const flight = `${airline} ${String(100 + (h % 899))}`;
  const booking = `${String.fromCharCode(65 + (h % 26))}${String.fromCharCode(65 + ((h >>> 5) % 26))}${String(1000 + (h % 9000))}${String.fromCharCode(65 + ((h >>> 9) % 26))}`;
  const excess = [50, 75, 100, 150][h % 4]!;
  const field = (label: string, value: string, wide = false): string => `<div class="f${wide ? ' w' : ''}"><div class="l">${label}</div><div class="v">${value}</div></div>`;
  const sections = (['Auto', 'Home', 'Travel'] as const).filter((t) => t === 'Travel' || h % 2).map((t) => `<span>${t === claim.claimType ? '☒' : '☐'} ${escape(p.v.claimTypes[t])}</span>`).join(' ');
  return page(
    '"Liberation Serif", "Times New Roman", serif',
    `.sheet { padding: 38px 52px !important; font-size: 12px; } .hd { display: flex; justify-content: space-between; align-items: flex-end; border-bottom: 2px solid #0b5d7a; padding-bottom: 6px; } .hd b { font-size: 19px; color: #0b5d7a; font-family: "Liberation Sans", Arial, sans-serif; } .hd span { font-size: 10px; }
h1 { font-size: 16px; margin: 8px 0 6px; font-family: "Liberation Sans", Arial, sans-serif; } h2 { font-size: 12px; background: #0b5d7a; color: #fff; padding: 3px 6px; margin: 10px 0 5px; font-family: "Liberation Sans", Arial, sans-serif; }
.grid { display: flex; flex-wrap: wrap; gap: 5px; } .f { border: 1px solid #9bb; padding: 2px 6px; width: calc(33% - 16px); } .f.w { width: calc(66% - 14px); } .f .l { font-size: 9px; color: #456; } .f .v { font-size: 12.5px; min-height: 15px; }
.sec span { margin-right: 14px; } .desc { border: 1px solid #9bb; padding: 5px 7px; min-height: 40px; }
.items { width: 100%; font-size: 11px; } .items th { border-bottom: 1.5px solid #0b5d7a; text-align: left; padding: 3px 4px; font-size: 10px; } .items th.n { text-align: right; } .items td { padding: 3px 4px; border-bottom: 1px solid #dde; } .items td.c { text-align: center; } .items tr.t td { font-weight: bold; border-top: 1.5px solid #0b5d7a; border-bottom: none; }
.note { font-size: 10px; margin-top: 5px; font-style: italic; } .sig { display: flex; gap: 40px; margin-top: 26px; } .sig div { border-top: 1px solid #333; width: 200px; font-size: 9.5px; padding-top: 2px; }
.office { position: absolute; right: 52px; bottom: 30px; border: 1px dashed #888; padding: 4px 8px; font-size: 9.5px; color: #666; width: 230px; }
${punchedAndStapled(h)}`,
    `<div class="staple"></div><div class="hd"><b>${w.insurer}</b><span>${p.v.claimTitle}</span></div>
<h1>${w.title}</h1>
<h2>${w.partA}</h2><div class="grid">${field(p.v.claimant, escape(claim.claimant))}${field(p.v.policyNumber, claim.policyNumber)}${field(p.v.phone, escape(claim.phone))}
${field(w.destination, escape(destination))}${field(w.depart, p.date(depart))}${field(w.back, p.date(back))}${field(w.flight, flight)}${field(w.booking, booking)}${field(p.v.incidentDate, p.date(claim.incidentDate))}</div>
<div class="sec" style="margin-top:5px"><b>${w.ticked}</b> (${p.v.claimType}): ${sections}</div>
<h2>${w.partB}</h2><div class="l" style="font-size:9px;color:#456">${p.v.description}</div><div class="desc">${escape(claim.description)}</div>
<h2>${w.partC}</h2><table class="items"><tr><th>${w.date}</th><th>${w.what}</th><th class="n">${w.original}</th><th class="n">${w.rate}</th><th class="n">${w.converted} (${claimCurrency})</th><th>${w.receipts}</th></tr>
${rows.join('')}<tr class="t"><td></td><td colspan="3">${w.total} — ${p.v.claimAmount}</td><td class="n">${p.money(claim.amount)}</td><td></td></tr></table>
<div class="note">${escape(w.excess(p.money(excess)))}</div>
<p style="font-size:10.5px;margin-top:14px">${w.declare}</p>
<div class="sig"><div>${w.signature}</div><div>${w.signed}: ${p.date(dayAfter(back, 3 + (h % 6)))}</div></div>
<div class="office">${w.office} ____________</div>`,
  );
}

/**
 * Held-out-21's scan defects, for the scanned (PNG) pages only (screen media; a PDF prints without them): the sheet
 * had been folded in three for an envelope, so two creases cross it (a shadow on one side, a light edge on the other),
 * and a coffee cup left a faint brown ring somewhere in its upper half.
 */
function foldedAndStained(h: number): string {
  const ringLeft = 420 + (h % 230);
  const ringTop = 40 + ((h >>> 4) % 160);
  const crease = (dark: number): string => `linear-gradient(180deg, rgba(0, 0, 0, 0) 0, rgba(0, 0, 0, ${dark}) 45%, rgba(255, 255, 255, 0.55) 55%, rgba(0, 0, 0, 0.05) 70%, rgba(0, 0, 0, 0) 100%)`;
  return `@media screen {
  .sheet::before { content: ''; position: absolute; inset: 0; z-index: 5; pointer-events: none; background: ${crease(0.2)} 0 366px / 100% 14px no-repeat, ${crease(0.14)} 0 740px / 100% 14px no-repeat; }
  .sheet::after { content: ''; position: absolute; left: ${ringLeft}px; top: ${ringTop}px; width: 112px; height: 106px; border-radius: 50%; z-index: 5; pointer-events: none; border: 4px solid rgba(125, 80, 35, 0.2); box-shadow: inset 0 0 5px 2px rgba(125, 80, 35, 0.12), 0 0 2px 1px rgba(125, 80, 35, 0.1); background: radial-gradient(circle, rgba(150, 100, 50, 0.04) 0, rgba(150, 100, 50, 0.07) 62%, rgba(0, 0, 0, 0) 72%); }
}`;
}

/** hashOf with its bits mixed, so texts that differ only in their last character (a row's number) give unrelated values. */
const mixedHash = (text: string): number => {
  let x = hashOf(text);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
};

/** A number with its thousands grouped the way the language writes them (84,312 / 84.312 / 84 312). */
const thousands = (n: number, language: Language): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, language === 'en' ? ',' : language === 'de' ? '.' : '\u00a0');

/** A vehicle identification number (17 characters, no I, O or Q), made from a hash as the rest of a layout's extras are. */
function vinOf(h: number): string {
  const chars = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
  let x = h || 1;
  let vin = ['W', 'V', 'Z', 'S'][h % 4]!;
  for (let k = 0; k < 16; k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    vin += chars[(x >>> 16) % chars.length];
  }
  return vin;
}

const WORKSHOP = {
  en: { title: 'Repair Invoice', jobCard: 'Job card no.', vehicle: 'Vehicle', reg: 'Registration', vin: 'VIN', odometer: 'Odometer', unit: 'miles', dateIn: 'Vehicle in', ready: 'Ready for collection', labour: 'Labour', parts: 'Parts', partNo: 'Part no.', hours: 'Hours', perHour: 'Rate per hour', labourTotal: 'Labour sub-total', partsTotal: 'Parts sub-total', deposit: 'Less deposit paid on booking', balance: 'Balance to pay on collection', nextService: 'Next service due', or: 'or at', technician: 'Technician', currency: 'Currency', guarantee: 'Parts and labour guaranteed for 12 months. Old parts kept for your inspection for 7 days.', jobs: ['Diagnostic check, engine warning light', 'Replace front brake pads and discs', 'Annual service, full', 'Replace timing belt and water pump', 'Four-wheel alignment', 'Air-conditioning re-gas', 'MOT test', 'Replace clutch kit'], spares: ['Brake pad set, front', 'Brake discs, front (pair)', 'Oil filter', 'Engine oil 5W-30, 5 l', 'Air filter', 'Wiper blades (pair)', 'Spark plugs (set of 4)', 'Cabin pollen filter'] },
  de: { title: 'Reparaturrechnung', jobCard: 'Auftragskarte Nr.', vehicle: 'Fahrzeug', reg: 'Kennzeichen', vin: 'FIN', odometer: 'km-Stand', unit: 'km', dateIn: 'Fahrzeugannahme', ready: 'Abholbereit seit', labour: 'Arbeitslohn', parts: 'Ersatzteile', partNo: 'Teile-Nr.', hours: 'Std.', perHour: 'Stundensatz', labourTotal: 'Summe Arbeitslohn', partsTotal: 'Summe Ersatzteile', deposit: 'abzgl. Anzahlung bei Auftrag', balance: 'Restbetrag bei Abholung', nextService: 'Nächste Inspektion fällig', or: 'oder bei', technician: 'Monteur', currency: 'Währung', guarantee: 'Gewährleistung auf Teile und Arbeit 12 Monate. Altteile liegen 7 Tage zur Ansicht bereit.', jobs: ['Fehlerspeicher auslesen, Motorkontrollleuchte', 'Bremsbeläge und -scheiben vorn erneuern', 'Jahresinspektion', 'Zahnriemen und Wasserpumpe erneuern', 'Achsvermessung', 'Klimaanlage befüllen', 'Hauptuntersuchung (HU/AU)', 'Kupplung erneuern'], spares: ['Bremsbelagsatz vorn', 'Bremsscheiben vorn (Paar)', 'Ölfilter', 'Motoröl 5W-30, 5 l', 'Luftfilter', 'Wischblätter (Paar)', 'Zündkerzen (4 Stück)', 'Innenraumfilter'] },
  fr: { title: 'Facture de réparation', jobCard: 'Ordre de réparation n°', vehicle: 'Véhicule', reg: 'Immatriculation', vin: 'N° VIN', odometer: 'Kilométrage', unit: 'km', dateIn: 'Entrée atelier', ready: 'Véhicule prêt le', labour: 'Main-d’œuvre', parts: 'Pièces', partNo: 'Réf. pièce', hours: 'Heures', perHour: 'Taux horaire', labourTotal: 'Total main-d’œuvre', partsTotal: 'Total pièces', deposit: 'Moins acompte versé à la commande', balance: 'Solde à régler à l’enlèvement', nextService: 'Prochain entretien prévu', or: 'ou à', technician: 'Technicien', currency: 'Devise', guarantee: 'Pièces et main-d’œuvre garanties 12 mois. Pièces remplacées tenues à votre disposition 7 jours.', jobs: ['Diagnostic électronique, voyant moteur', 'Remplacement plaquettes et disques AV', 'Révision annuelle complète', 'Remplacement kit distribution et pompe à eau', 'Géométrie des trains roulants', 'Recharge climatisation', 'Contrôle technique', 'Remplacement kit embrayage'], spares: ['Jeu de plaquettes AV', 'Disques de frein AV (paire)', 'Filtre à huile', 'Huile moteur 5W-30, 5 l', 'Filtre à air', 'Balais d’essuie-glace (paire)', 'Bougies d’allumage (x4)', 'Filtre d’habitacle'] },
  pt: { title: 'Fatura de reparação', jobCard: 'Folha de obra n.º', vehicle: 'Viatura', reg: 'Matrícula', vin: 'N.º de chassis (VIN)', odometer: 'Quilómetros', unit: 'km', dateIn: 'Entrada na oficina', ready: 'Pronta para levantamento', labour: 'Mão de obra', parts: 'Peças', partNo: 'Ref.ª peça', hours: 'Horas', perHour: 'Preço/hora', labourTotal: 'Total mão de obra', partsTotal: 'Total peças', deposit: 'Menos sinal pago na marcação', balance: 'Saldo a pagar no levantamento', nextService: 'Próxima revisão', or: 'ou aos', technician: 'Mecânico', currency: 'Moeda', guarantee: 'Peças e mão de obra com garantia de 12 meses. Peças substituídas à sua disposição durante 7 dias.', jobs: ['Diagnóstico eletrónico, luz do motor', 'Substituir pastilhas e discos dianteiros', 'Revisão anual completa', 'Substituir correia de distribuição e bomba de água', 'Alinhamento de direção', 'Carga de ar condicionado', 'Inspeção periódica', 'Substituir kit de embraiagem'], spares: ['Jogo de pastilhas dianteiras', 'Discos de travão dianteiros (par)', 'Filtro de óleo', 'Óleo de motor 5W-30, 5 l', 'Filtro de ar', 'Escovas limpa-vidros (par)', 'Velas de ignição (4)', 'Filtro de habitáculo'] },
} as const;

const TECHNICIANS = ['D. Okafor', 'M. Keller', 'J. Lemaire', 'R. Pinto', 'S. Hughes'];

/**
 * Held-out-21: a vehicle workshop's repair invoice — the garage over the (fleet) customer, a job card number, the
 * vehicle's registration, make, VIN and odometer reading, the dates it came in and was ready beside the invoice's own
 * number and dates, the lines split into labour (hours × rate per hour) and parts (a part number before each), each
 * section with its own sub-total, then net, tax and total, a deposit paid on booking printed negative and the balance
 * to pay on collection (NOT the total), and the next service's date and mileage under it.
 */
function workshop(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(WORKSHOP, p.v);
  const h = hashOf(inv.invoiceNumber + inv.vendor + inv.customer);
  const cents = (n: number): number => Math.round(n * 100) / 100;
  const labourCount = Math.ceil(inv.items.length / 2);
  const labour = inv.items.slice(0, labourCount);
  const parts = inv.items.slice(labourCount);
  const sum = (list: readonly { amount: number }[]): number => cents(list.reduce((a, i) => a + i.amount, 0));
  const deposit = Math.min([50, 100, 150, 200][h % 4]!, Math.floor(inv.total * 0.3));
  const balance = cents(inv.total - deposit);
  const odometer = 18_000 + (h % 140_000);
  const interval = p.v.language === 'en' ? 10_000 : 15_000;
  const jobCard = `${10_000 + ((h >>> 2) % 89_999)}/${1 + ((h >>> 5) % 9)}`;
  const dateIn = dayAfter(inv.invoiceDate, -(1 + (h % 4)));
  const ready = dayAfter(inv.invoiceDate, -((h >>> 3) % 2));
  const nextService = dayAfter(inv.invoiceDate, 330 + (h % 60));
  const partNo = (n: number): string => {
    const x = mixedHash(`${inv.invoiceNumber}/${n}`);
    return `${String(100 + (x % 900))} ${String(100 + ((x >>> 10) % 900))} ${String(10 + ((x >>> 20) % 90))}${'ABCDEFGH'[x % 8]}`;
  };
  const labourRows = labour.map((i, n) => `<tr><td>${escape(w.jobs[(h + n * 3) % w.jobs.length]!)}</td><td class="n">${i.quantity.toFixed(1)}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  const partRows = parts.map((i, n) => `<tr><td><span class="pn">${partNo(n)}</span> ${escape(w.spares[(h + n * 5) % w.spares.length]!)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  const kv = (label: string, value: string, cls = ''): string => `<tr class="${cls}"><td>${label}</td><td class="n">${value}</td></tr>`;
  const cell = (label: string, value: string): string => `<div><span>${label}</span>${value}</div>`;
  return page(
    '"DejaVu Sans", Verdana, sans-serif',
    `.sheet { padding: 36px 48px !important; font-size: 11.5px; } .top { display: flex; justify-content: space-between; align-items: flex-start; } .garage b { display: block; font-size: 22px; font-style: italic; color: #1d3f8f; } .garage div { font-size: 10.5px; color: #444; }
.doc { text-align: right; } .doc h1 { font-size: 18px; margin: 0 0 4px; letter-spacing: 1px; text-transform: uppercase; } .doc table { margin-left: auto; } .doc td { padding: 1px 0 1px 10px; font-size: 11px; } .doc td:first-child { color: #555; }
.veh { display: grid; grid-template-columns: repeat(3, 1fr); border: 1.5px solid #1d3f8f; margin: 14px 0 10px; } .veh div { padding: 3px 6px; border-right: 1px solid #c5cde0; border-bottom: 1px solid #c5cde0; font-size: 11.5px; } .veh span { display: block; font-size: 8.5px; color: #1d3f8f; text-transform: uppercase; }
.cust { font-size: 11.5px; margin-bottom: 8px; } .cust span { color: #555; }
h2 { font-size: 11.5px; margin: 10px 0 2px; color: #fff; background: #1d3f8f; padding: 2px 6px; }
.items { width: 100%; } .items th { text-align: left; font-size: 9.5px; color: #555; border-bottom: 1px solid #999; padding: 2px 4px; } .items th.n { text-align: right; } .items td { padding: 3px 4px; border-bottom: 1px dotted #bbb; } .items .pn { font-family: "DejaVu Sans Mono", monospace; font-size: 10px; color: #333; }
.items tr.sub td { border-bottom: none; font-style: italic; color: #333; }
.tot { margin: 10px 0 0 auto; width: 52%; } .tot td { padding: 2px 4px; } .tot tr.t td { border-top: 1px solid #333; font-weight: bold; } .tot tr.bal td { border-top: 2px solid #1d3f8f; font-weight: bold; font-size: 14px; color: #1d3f8f; }
.next { margin-top: 16px; border: 1px dashed #1d3f8f; padding: 6px 10px; width: 60%; font-size: 11.5px; } .foot { position: absolute; left: 48px; right: 48px; bottom: 30px; font-size: 9.5px; color: #555; border-top: 1px solid #bbb; padding-top: 4px; }
${foldedAndStained(h)}`,
    `<div class="top"><div class="garage"><b>${escape(inv.vendor)}</b><div>${inv.vendorLines.map(escape).join(' · ')}</div><div>${w.technician}: ${TECHNICIANS[h % TECHNICIANS.length]}</div></div>
<div class="doc"><h1>${w.title}</h1><table><tr><td>${p.v.invoiceNumber}</td><td><b>${inv.invoiceNumber}</b></td></tr><tr><td>${p.v.invoiceDate}</td><td>${p.date(inv.invoiceDate)}</td></tr><tr><td>${p.v.dueDate}</td><td>${p.date(inv.dueDate)}</td></tr><tr><td>${w.jobCard}</td><td>${jobCard}</td></tr>${inv.po ? `<tr><td>${p.v.poNumber}</td><td>${inv.po}</td></tr>` : ''}</table></div></div>
<div class="veh">${cell(w.reg, plate(p.v.language, h))}${cell(w.vehicle, escape(CARS[h % CARS.length]!))}${cell(w.vin, vinOf(h))}${cell(w.odometer, `${thousands(odometer, p.v.language)} ${w.unit}`)}${cell(w.dateIn, p.date(dateIn))}${cell(w.ready, p.date(ready))}</div>
<div class="cust"><span>${p.v.billTo}:</span> <b>${escape(inv.customer)}</b></div>
<h2>${w.labour}</h2><table class="items"><tr><th>${p.v.item}</th><th class="n">${w.hours}</th><th class="n">${w.perHour}</th><th class="n">${p.v.amount}</th></tr>${labourRows}<tr class="sub"><td colspan="3">${w.labourTotal}</td><td class="n">${p.money(sum(labour))}</td></tr></table>
<h2>${w.parts}</h2><table class="items"><tr><th>${w.partNo} · ${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${partRows}<tr class="sub"><td colspan="3">${w.partsTotal}</td><td class="n">${p.money(sum(parts))}</td></tr></table>
<table class="tot">${kv(p.v.subtotal, p.money(inv.subtotal))}${kv(p.v.tax(inv.taxRate), p.money(inv.tax))}${kv(p.v.total, p.money(inv.total), 't')}${kv(w.deposit, p.money(-deposit))}${kv(w.balance, p.money(balance), 'bal')}<tr><td>${w.currency}</td><td class="n">${inv.currency}</td></tr></table>
<div class="next"><b>${w.nextService}:</b> ${p.date(nextService)} ${w.or} ${thousands(odometer + interval, p.v.language)} ${w.unit}</div>
<div class="foot">${escape(w.guarantee)} ${escape(p.v.thanks)}</div>`,
  );
}

const CLINIC = {
  en: { title: 'Patient Account — Invoice to Insurer', provider: 'Provider no.', patient: 'Patient', dob: 'Date of birth', member: 'Member policy no.', admitted: 'Admitted', discharged: 'Discharged', room: 'Ward / room', consultant: 'Consultant', date: 'Date of service', code: 'Tariff code', direct: 'Direct settlement: this invoice is addressed to the insurer named above.', excess: (v: string, r: string) => `The patient paid the policy excess of ${v} at discharge (receipt ${r}); it is not included above.`, currency: 'Amounts in', services: ['Specialist consultation', 'Day-case theatre fee', 'MRI scan, lumbar spine', 'Blood tests, full panel', 'Physiotherapy session', 'Overnight stay, private room', 'Anaesthetist’s fee', 'Dressings and medication', 'Follow-up consultation', 'X-ray, two views'] },
  de: { title: 'Patientenrechnung — Direktabrechnung mit dem Versicherer', provider: 'Institutionskennzeichen (IK)', patient: 'Patient/in', dob: 'Geburtsdatum', member: 'Versicherungsnummer Patient/in', admitted: 'Aufnahme', discharged: 'Entlassung', room: 'Station / Zimmer', consultant: 'Behandelnder Arzt', date: 'Behandlungstag', code: 'GOÄ-Ziffer', direct: 'Direktabrechnung: Diese Rechnung ist an den oben genannten Versicherer gerichtet.', excess: (v: string, r: string) => `Die Selbstbeteiligung von ${v} wurde bei Entlassung vom Patienten bezahlt (Quittung ${r}); sie ist oben nicht enthalten.`, currency: 'Beträge in', services: ['Fachärztliche Konsultation', 'OP-Gebühr, ambulant', 'MRT Lendenwirbelsäule', 'Laboruntersuchung, großes Blutbild', 'Physiotherapie, Einzelsitzung', 'Übernachtung, Einzelzimmer', 'Anästhesie', 'Verbandsmaterial und Medikamente', 'Kontrolluntersuchung', 'Röntgen, zwei Ebenen'] },
  fr: { title: 'Facture de soins — tiers payant assureur', provider: 'N° FINESS', patient: 'Patient(e)', dob: 'Date de naissance', member: 'N° d’adhérent du patient', admitted: 'Entrée', discharged: 'Sortie', room: 'Service / chambre', consultant: 'Médecin responsable', date: 'Date de l’acte', code: 'Code acte', direct: 'Tiers payant : cette facture est adressée à l’assureur désigné ci-dessus.', excess: (v: string, r: string) => `Le patient a réglé la franchise de ${v} à sa sortie (reçu ${r}) ; elle n’est pas comprise ci-dessus.`, currency: 'Montants en', services: ['Consultation spécialiste', 'Forfait bloc opératoire, ambulatoire', 'IRM rachis lombaire', 'Bilan sanguin complet', 'Séance de kinésithérapie', 'Nuitée, chambre particulière', 'Honoraires d’anesthésie', 'Pansements et médicaments', 'Consultation de contrôle', 'Radiographie, deux incidences'] },
  pt: { title: 'Fatura de cuidados de saúde — faturação direta à seguradora', provider: 'N.º de prestador', patient: 'Utente', dob: 'Data de nascimento', member: 'N.º de beneficiário', admitted: 'Admissão', discharged: 'Alta', room: 'Serviço / quarto', consultant: 'Médico responsável', date: 'Data do ato', code: 'Código do ato', direct: 'Faturação direta: esta fatura é dirigida à seguradora acima indicada.', excess: (v: string, r: string) => `O utente pagou a franquia de ${v} no momento da alta (recibo ${r}); não está incluída acima.`, currency: 'Valores em', services: ['Consulta de especialidade', 'Taxa de bloco operatório, ambulatório', 'Ressonância magnética lombar', 'Análises clínicas, painel completo', 'Sessão de fisioterapia', 'Diária, quarto particular', 'Honorários de anestesia', 'Pensos e medicação', 'Consulta de seguimento', 'Radiografia, duas incidências'] },
} as const;

const PATIENTS = ['Ana Ribeiro', 'Thomas Becker', 'Claire Dubois', 'Robert Ellison', 'Marta Sousa', 'Lukas Brandt'];
const CONSULTANTS = ['Dr. H. Adeyemi', 'Dr. med. K. Sauer', 'Dr A. Lefort', 'Dra. I. Carvalho'];

/**
 * Held-out-21: a private clinic's patient invoice addressed to the insurer for direct settlement — the clinic's
 * provider number, the patient with a date of birth and a member policy number (a date and an ID that are not the
 * invoice's), admission and discharge dates, the insurer's authorisation as the order number, the lines as services
 * each with its own date of service and a tariff code, net, tax and total, and the excess the patient paid at
 * discharge named in a note and not deducted.
 */
function clinic(inv: VarietyInvoice, p: Printed): string {
  const w = wordsOf(CLINIC, p.v);
  const h = hashOf(inv.customer + inv.invoiceNumber + inv.vendor);
  const admitted = dayAfter(inv.invoiceDate, -(4 + (h % 12)));
  const stay = 1 + ((h >>> 4) % 3);
  const discharged = dayAfter(admitted, stay);
  const dob = `${1948 + (h % 52)}-${String(1 + ((h >>> 6) % 12)).padStart(2, '0')}-${String(1 + ((h >>> 9) % 28)).padStart(2, '0')}`;
  const provider = `${String(100 + (h % 900))} ${String(1000 + ((h >>> 3) % 9000))} ${String(10 + ((h >>> 7) % 90))}`;
  const member = `M${String(1000 + ((h >>> 2) % 9000))} ${String(1000 + ((h >>> 11) % 9000))}/${String((h >>> 5) % 100).padStart(2, '0')}`;
  const receipt = `R-${String(100000 + ((h >>> 1) % 900000))}`;
  const excess = [100, 150, 250, 300][(h >>> 8) % 4]!;
  const code = (n: number): string => {
    const x = mixedHash(`${inv.invoiceNumber}#${n}`);
    if (p.v.language === 'de') return String(1 + (x % 5855));
    if (p.v.language === 'fr') return `${'ABCDEFGHJKLMNPQ'[x % 15]}${'ABCDEFGHJKLMNPQ'[(x >>> 4) % 15]}${'QRST'[(x >>> 8) % 4]}${'ABCDEFGHJKLM'[(x >>> 10) % 12]}${String((x >>> 14) % 1000).padStart(3, '0')}`;
    if (p.v.language === 'pt') return `${String(10 + (x % 90))}.${String((x >>> 7) % 100).padStart(2, '0')}.${String((x >>> 14) % 100).padStart(2, '0')}`;
    return `${'ABCEHM'[x % 6]}${String(1000 + ((x >>> 3) % 9000))}`;
  };
  const rows = inv.items.map((i, n) => `<tr><td>${p.date(dayAfter(admitted, Math.min(n, stay)))}</td><td class="c">${code(n)}</td><td>${escape(w.services[(h + n * 7) % w.services.length]!)}</td><td class="n">${i.quantity}</td><td class="n">${p.money(i.unitPrice)}</td><td class="n">${p.money(i.amount)}</td></tr>`).join('');
  const kv = (label: string, value: string): string => `<tr><td>${label}</td><td>${value}</td></tr>`;
  return page(
    '"Liberation Serif", "Times New Roman", serif',
    `.sheet { padding: 40px 54px !important; font-size: 12px; } .hd { display: flex; justify-content: space-between; border-bottom: 1px solid #2a7f62; padding-bottom: 8px; } .hd .nm { font-size: 20px; color: #2a7f62; font-family: "Liberation Sans", Arial, sans-serif; font-weight: bold; } .hd .ad { font-size: 10.5px; color: #444; } .hd .pv { text-align: right; font-size: 10.5px; }
h1 { font-size: 15px; margin: 12px 0 8px; font-family: "Liberation Sans", Arial, sans-serif; }
.two { display: flex; gap: 18px; } .two > div { flex: 1; border: 1px solid #b9d6cb; padding: 6px 8px; } .two h3 { margin: 0 0 4px; font-size: 10px; text-transform: uppercase; letter-spacing: 0.6px; color: #2a7f62; font-family: "Liberation Sans", Arial, sans-serif; } .two td { padding: 1.5px 10px 1.5px 0; font-size: 11.5px; } .two td:first-child { color: #555; }
.items { width: 100%; margin-top: 14px; font-size: 11.5px; } .items th { background: #e6f2ed; text-align: left; padding: 4px; font-size: 10px; } .items th.n { text-align: right; } .items td { padding: 4px; border-bottom: 1px solid #dde9e4; } .items td.c { font-family: "DejaVu Sans Mono", monospace; font-size: 10.5px; }
.tot { margin: 8px 0 0 auto; } .tot td { padding: 2px 0 2px 28px; text-align: right; } .tot tr.t td { font-weight: bold; font-size: 13.5px; border-top: 1.5px solid #2a7f62; }
.note { margin-top: 12px; font-size: 10.5px; font-style: italic; border-left: 3px solid #2a7f62; padding-left: 8px; } .foot { position: absolute; left: 54px; right: 54px; bottom: 30px; font-size: 9.5px; color: #666; text-align: center; }
${foldedAndStained(h)}`,
    `<div class="hd"><div><div class="nm">${escape(inv.vendor)}</div><div class="ad">${inv.vendorLines.map(escape).join(', ')}</div></div><div class="pv">${w.provider}<br><b>${provider}</b></div></div>
<h1>${w.title}</h1>
<div class="two"><div><h3>${p.v.billTo}</h3><b>${escape(inv.customer)}</b><table>${kv(p.v.invoiceNumber, `<b>${inv.invoiceNumber}</b>`)}${kv(p.v.invoiceDate, p.date(inv.invoiceDate))}${kv(p.v.dueDate, p.date(inv.dueDate))}${inv.po ? kv(p.v.poNumber, inv.po) : ''}</table></div>
<div><h3>${w.patient}</h3><b>${PATIENTS[h % PATIENTS.length]}</b><table>${kv(w.dob, p.date(dob))}${kv(w.member, member)}${kv(w.admitted, p.date(admitted))}${kv(w.discharged, p.date(discharged))}${kv(w.room, `${['B', 'C', 'E'][h % 3]}${2 + (h % 4)} / ${100 + ((h >>> 3) % 60)}`)}${kv(w.consultant, CONSULTANTS[(h >>> 2) % CONSULTANTS.length]!)}</table></div></div>
<table class="items"><tr><th>${w.date}</th><th>${w.code}</th><th>${p.v.item}</th><th class="n">${p.v.quantity}</th><th class="n">${p.v.unitPrice}</th><th class="n">${p.v.amount}</th></tr>${rows}</table>
<table class="tot"><tr><td>${p.v.subtotal}</td><td>${p.money(inv.subtotal)}</td></tr><tr><td>${p.v.tax(inv.taxRate)}</td><td>${p.money(inv.tax)}</td></tr><tr class="t"><td>${p.v.total}</td><td>${p.money(inv.total)}</td></tr><tr><td>${w.currency}</td><td>${inv.currency}</td></tr></table>
<div class="note">${escape(w.excess(p.money(excess), receipt))}<br>${escape(w.direct)}</div>
<div class="foot">${escape(inv.vendor)} · ${inv.vendorLines.map(escape).join(' · ')} · ${escape(p.v.thanks)}</div>`,
  );
}

const INVENTORY = {
  en: { insurer: 'Hearthstone Home Insurance', title: 'Home Contents Claim Form', s1: '1. About you', s2: '2. About the loss', s3: '3. Schedule of lost or damaged items', address: 'Insured address', sumInsured: 'Contents sum insured', cause: 'Cause of loss', causes: ['Escape of water', 'Storm', 'Theft / burglary'], police: 'Crime reference no.', reported: 'Reported to police on', notPolice: 'not applicable', item: 'Item (make, model)', where: 'Where bought', bought: 'Date bought', paid: 'Price paid', value: 'Replacement value claimed', receipt: 'Receipt?', yes: 'yes', no: 'no', total: 'Total of replacement values', declare: 'I declare that the items listed belonged to me and that the information above is true.', signature: 'Signature', signed: 'Date', office: 'Office use — loss adjuster ref.', things: ['Television, Samsung 55"', 'Laptop, Lenovo ThinkPad', 'Sofa, three-seater', 'Rug, wool 200 × 300', 'Camera, Canon EOS', 'Bicycle, hybrid', 'Gold necklace', 'Washing machine, Bosch', 'Bookcase, oak', 'Games console'], shops: ['Currys', 'John Lewis', 'Argos', 'IKEA', 'Amazon', 'local jeweller'] },
  de: { insurer: 'Herdfeuer Versicherung AG', title: 'Schadenanzeige Hausrat mit Schadenaufstellung', s1: '1. Angaben zur Person', s2: '2. Angaben zum Schaden', s3: '3. Aufstellung der beschädigten oder entwendeten Sachen', address: 'Versicherungsort', sumInsured: 'Versicherungssumme Hausrat', cause: 'Schadenursache', causes: ['Leitungswasser', 'Sturm', 'Einbruchdiebstahl'], police: 'Tagebuch-Nr. der Polizei', reported: 'Anzeige bei der Polizei am', notPolice: 'entfällt', item: 'Gegenstand (Marke, Modell)', where: 'Gekauft bei', bought: 'Kaufdatum', paid: 'Kaufpreis', value: 'Wiederbeschaffungswert', receipt: 'Beleg?', yes: 'ja', no: 'nein', total: 'Summe der Wiederbeschaffungswerte', declare: 'Ich versichere, dass die aufgeführten Sachen mir gehörten und meine Angaben wahr sind.', signature: 'Unterschrift', signed: 'Datum', office: 'Nur für den Versicherer — Az. Regulierer', things: ['Fernseher, Samsung 55"', 'Laptop, Lenovo ThinkPad', 'Sofa, Dreisitzer', 'Teppich, Wolle 200 × 300', 'Kamera, Canon EOS', 'Fahrrad, Trekking', 'Goldkette', 'Waschmaschine, Bosch', 'Bücherregal, Eiche', 'Spielkonsole'], shops: ['MediaMarkt', 'Saturn', 'IKEA', 'Amazon', 'Juwelier vor Ort', 'Möbelhaus Kraft'] },
  fr: { insurer: 'Foyer Mutuelle Habitation', title: 'Déclaration de sinistre habitation — état des pertes', s1: '1. Vos coordonnées', s2: '2. Le sinistre', s3: '3. État estimatif des biens endommagés ou volés', address: 'Adresse du risque', sumInsured: 'Capital mobilier garanti', cause: 'Cause du sinistre', causes: ['Dégât des eaux', 'Tempête', 'Vol avec effraction'], police: 'N° de procès-verbal de plainte', reported: 'Plainte déposée le', notPolice: 'sans objet', item: 'Objet (marque, modèle)', where: 'Acheté chez', bought: 'Date d’achat', paid: 'Prix d’achat', value: 'Valeur de remplacement réclamée', receipt: 'Facture ?', yes: 'oui', no: 'non', total: 'Total des valeurs de remplacement', declare: 'Je certifie que les biens énumérés m’appartenaient et que les informations ci-dessus sont exactes.', signature: 'Signature', signed: 'Date', office: 'Cadre réservé — réf. expert', things: ['Téléviseur Samsung 55"', 'Ordinateur portable Lenovo', 'Canapé trois places', 'Tapis en laine 200 × 300', 'Appareil photo Canon EOS', 'Vélo tout chemin', 'Collier en or', 'Lave-linge Bosch', 'Bibliothèque en chêne', 'Console de jeux'], shops: ['Darty', 'Fnac', 'IKEA', 'Amazon', 'bijouterie du quartier', 'Conforama'] },
  pt: { insurer: 'Lareira Seguros, S.A.', title: 'Participação de sinistro — recheio da habitação', s1: '1. Dados do tomador', s2: '2. O sinistro', s3: '3. Relação dos bens danificados ou furtados', address: 'Local de risco', sumInsured: 'Capital seguro do recheio', cause: 'Causa do sinistro', causes: ['Danos por água', 'Tempestade', 'Furto / roubo'], police: 'N.º do auto de denúncia', reported: 'Participado à polícia em', notPolice: 'não aplicável', item: 'Bem (marca, modelo)', where: 'Comprado em', bought: 'Data de compra', paid: 'Preço pago', value: 'Valor de substituição reclamado', receipt: 'Fatura?', yes: 'sim', no: 'não', total: 'Total dos valores de substituição', declare: 'Declaro que os bens indicados me pertenciam e que as informações acima são verdadeiras.', signature: 'Assinatura', signed: 'Data', office: 'A preencher pela seguradora — ref.ª do perito', things: ['Televisor Samsung 55"', 'Portátil Lenovo', 'Sofá de três lugares', 'Tapete de lã 200 × 300', 'Máquina fotográfica Canon EOS', 'Bicicleta', 'Fio de ouro', 'Máquina de lavar Bosch', 'Estante em carvalho', 'Consola de jogos'], shops: ['Worten', 'Fnac', 'IKEA', 'Amazon', 'ourivesaria local', 'El Corte Inglés'] },
} as const;

const HOMES = ['14 Orchard Close, Bath BA2 4LT', 'Lindenweg 8, 30159 Hannover', '22 rue Pasteur, 33000 Bordeaux', 'Rua das Flores 31, 4050-262 Porto', 'Flat 3, 9 Quay Street, Cardiff CF10 1EA', 'Am Stadtpark 17, 90409 Nürnberg'];

/**
 * Held-out-21: a home contents claim form with a schedule of items — the policyholder, policy number and insured
 * address, the contents sum insured (far above the claim), the date and cause of the loss ticked, a crime reference
 * and the date it was reported to the police when it was a theft, the account of the loss, and a schedule whose rows
 * each give the item, where and when it was bought (years before), the price paid and the replacement value claimed;
 * the replacement values add up to the total claimed.
 */
function inventory(claim: VarietyClaim, p: Printed): string {
  const w = wordsOf(INVENTORY, p.v);
  const h = hashOf(claim.claimant + claim.policyNumber);
  const cause = Math.max(0, INCIDENTS.Home.indexOf(claim.description));
  const theft = cause === 2;
  const crimeRef = `${['CR', 'KA', 'PV', 'NUIPC'][h % 4]} ${String(10000 + ((h >>> 3) % 90000))}/${claim.incidentDate.slice(2, 4)}`;
  const reported = dayAfter(claim.incidentDate, (h >>> 2) % 2);
  // The sum claimed split into 3–5 items (in cents, so they add up exactly).
  const count = 3 + (h % 3);
  const total = Math.round(claim.amount * 100);
  const weights = Array.from({ length: count }, (_, n) => 2 + (mixedHash(`${claim.policyNumber}:${n}`) % 9));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((wt) => Math.floor((total * wt) / weightSum));
  parts[count - 1] = total - parts.slice(0, -1).reduce((a, b) => a + b, 0);
  const rows = parts.map((value, n) => {
    const x = mixedHash(`${claim.claimant}:${n}:${claim.incidentDate}`);
    const bought = dayAfter(claim.incidentDate, -(180 + (x % 2400)));
    const paid = Math.round(value * (0.7 + ((x >>> 5) % 60) / 100)) / 100;
    return `<tr><td>${escape(w.things[(h + n * 3) % w.things.length]!)}</td><td>${escape(w.shops[(x >>> 3) % w.shops.length]!)}</td><td>${p.date(bought)}</td><td class="n">${p.money(paid)}</td><td class="n">${p.money(value / 100)}</td><td class="c">${(x >>> 7) % 3 ? w.yes : w.no}</td></tr>`;
  });
  const sumInsured = [35_000, 50_000, 65_000, 80_000][h % 4]!;
  const box = (on: boolean, label: string): string => `<span class="tk"><span class="tb">${on ? '✕' : ''}</span>${escape(label)}</span>`;
  const field = (label: string, value: string, wide = false): string => `<div class="f${wide ? ' w' : ''}"><div class="l">${label}</div><div class="v">${value}</div></div>`;
  const cover = (['Home', 'Auto', 'Travel'] as const).map((t) => box(t === claim.claimType, p.v.claimTypes[t])).join('');
  return page(
    '"Liberation Sans", Arial, sans-serif',
    `.sheet { padding: 36px 50px !important; font-size: 11.5px; } .hd { display: flex; justify-content: space-between; align-items: center; background: #5a3d7a; color: #fff; padding: 8px 12px; } .hd b { font-size: 18px; } .hd span { font-size: 10px; }
h1 { font-size: 15px; margin: 10px 0 4px; } h2 { font-size: 11.5px; margin: 10px 0 4px; border-bottom: 1.5px solid #5a3d7a; color: #5a3d7a; padding-bottom: 1px; }
.grid { display: flex; flex-wrap: wrap; gap: 4px 8px; } .f { width: calc(33% - 6px); border-bottom: 1px solid #aaa; } .f.w { width: calc(66% - 4px); } .f .l { font-size: 8.5px; color: #5a3d7a; text-transform: uppercase; } .f .v { font-size: 12px; min-height: 15px; padding: 1px 0 2px; }
.tk { margin-right: 14px; white-space: nowrap; } .tb { display: inline-block; width: 11px; height: 11px; border: 1px solid #333; margin-right: 4px; text-align: center; line-height: 11px; font-size: 10px; vertical-align: -1px; }
.row { margin: 5px 0; } .desc { border: 1px solid #bbb; padding: 5px 7px; min-height: 30px; }
.items { width: 100%; font-size: 11px; } .items th { text-align: left; font-size: 9px; color: #fff; background: #5a3d7a; padding: 3px 4px; } .items th.n { text-align: right; } .items td { padding: 3px 4px; border-bottom: 1px solid #ddd; } .items td.c { text-align: center; } .items tr.t td { font-weight: bold; border-top: 1.5px solid #5a3d7a; border-bottom: none; }
.decl { font-size: 10.5px; margin-top: 14px; } .sig { display: flex; gap: 50px; margin-top: 24px; } .sig div { border-top: 1px solid #333; width: 210px; font-size: 9.5px; padding-top: 2px; }
.office { position: absolute; right: 50px; bottom: 28px; border: 1px solid #999; padding: 4px 8px; font-size: 9.5px; color: #666; }
${foldedAndStained(h)}`,
    `<div class="hd"><b>${w.insurer}</b><span>${p.v.claimTitle}</span></div>
<h1>${w.title}</h1>
<h2>${w.s1}</h2><div class="grid">${field(p.v.claimant, escape(claim.claimant))}${field(p.v.policyNumber, claim.policyNumber)}${field(p.v.phone, escape(claim.phone))}${field(w.address, escape(HOMES[h % HOMES.length]!), true)}${field(w.sumInsured, p.money(sumInsured))}</div>
<div class="row"><b>${p.v.claimType}:</b> ${cover}</div>
<h2>${w.s2}</h2><div class="grid">${field(p.v.incidentDate, p.date(claim.incidentDate))}${field(w.police, theft ? crimeRef : w.notPolice)}${field(w.reported, theft ? p.date(reported) : '—')}</div>
<div class="row"><b>${w.cause}:</b> ${w.causes.map((c, n) => box(n === cause, c)).join('')}</div>
<div class="l" style="font-size:8.5px;color:#5a3d7a;text-transform:uppercase">${p.v.description}</div><div class="desc">${escape(claim.description)}</div>
<h2>${w.s3}</h2><table class="items"><tr><th>${w.item}</th><th>${w.where}</th><th>${w.bought}</th><th class="n">${w.paid}</th><th class="n">${w.value}</th><th>${w.receipt}</th></tr>
${rows.join('')}<tr class="t"><td colspan="4">${w.total} — ${p.v.claimAmount}</td><td class="n">${p.money(claim.amount)}</td><td></td></tr></table>
<p class="decl">${w.declare}</p>
<div class="sig"><div>${w.signature}</div><div>${w.signed}: ${p.date(dayAfter(claim.incidentDate, 4 + (h % 9)))}</div></div>
<div class="office">${w.office} ____________</div>`,
  );
}

export function renderVariety(doc: VarietyInvoice | VarietyClaim): string {
  const p = printed(doc.style);
  if (doc.kind === 'invoice') {
    if (doc.style.layout === 'grid') return grid(doc, p);
    if (doc.style.layout === 'letter') return letter(doc, p);
    if (doc.style.layout === 'inline') return inline(doc, p);
    if (doc.style.layout === 'ledger') return ledger(doc, p);
    if (doc.style.layout === 'strip') return strip(doc, p);
    if (doc.style.layout === 'banner') return banner(doc, p);
    if (doc.style.layout === 'columns') return columns(doc, p);
    if (doc.style.layout === 'receipt') return receipt(doc, p);
    if (doc.style.layout === 'remit') return remit(doc, p);
    if (doc.style.layout === 'vatcol') return vatcol(doc, p);
    if (doc.style.layout === 'portal') return portal(doc, p);
    if (doc.style.layout === 'leaders') return leaders(doc, p);
    if (doc.style.layout === 'ribbon') return ribbon(doc, p);
    if (doc.style.layout === 'subject') return subject(doc, p);
    if (doc.style.layout === 'statement') return statement(doc, p);
    if (doc.style.layout === 'freight') return freight(doc, p);
    if (doc.style.layout === 'sidebar') return sidebar(doc, p);
    if (doc.style.layout === 'utility') return utility(doc, p);
    if (doc.style.layout === 'selfbill') return selfbill(doc, p);
    if (doc.style.layout === 'fanfold') return fanfold(doc, p);
    if (doc.style.layout === 'smallcaps') return smallcaps(doc, p);
    if (doc.style.layout === 'faxed') return faxed(doc, p);
    if (doc.style.layout === 'einvoice') return einvoice(doc, p);
    if (doc.style.layout === 'folio') return folio(doc, p);
    if (doc.style.layout === 'progress') return progress(doc, p);
    if (doc.style.layout === 'marketplace') return marketplace(doc, p);
    if (doc.style.layout === 'workshop') return workshop(doc, p);
    if (doc.style.layout === 'clinic') return clinic(doc, p);
  } else {
    if (doc.style.layout === 'form') return form(doc, p);
    if (doc.style.layout === 'sheet') return sheet(doc, p);
    if (doc.style.layout === 'panel') return panel(doc, p);
    if (doc.style.layout === 'memo') return memo(doc, p);
    if (doc.style.layout === 'tiles') return tiles(doc, p);
    if (doc.style.layout === 'lined') return lined(doc, p);
    if (doc.style.layout === 'headers') return headers(doc, p);
    if (doc.style.layout === 'questions') return questions(doc, p);
    if (doc.style.layout === 'correspondence') return correspondence(doc, p);
    if (doc.style.layout === 'bracket') return bracket(doc, p);
    if (doc.style.layout === 'comb') return comb(doc, p);
    if (doc.style.layout === 'email') return email(doc, p);
    if (doc.style.layout === 'webform') return webform(doc, p);
    if (doc.style.layout === 'callnote') return callnote(doc, p);
    if (doc.style.layout === 'estimate') return estimate(doc, p);
    if (doc.style.layout === 'broker') return broker(doc, p);
    if (doc.style.layout === 'expenses') return expenses(doc, p);
    if (doc.style.layout === 'motor') return motor(doc, p);
    if (doc.style.layout === 'handwritten') return handwritten(doc, p);
    if (doc.style.layout === 'chat') return chat(doc, p);
    if (doc.style.layout === 'travel') return travel(doc, p);
    if (doc.style.layout === 'inventory') return inventory(doc, p);
  }
  throw new Error(`variety layout "${doc.style.layout}" does not fit a ${doc.kind}`);
}
