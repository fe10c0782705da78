// Random but plausible contents of invoices and claim forms, deterministic from a seed: the
// ground truth every generated document is checked against.

export type Random = () => number;

/** mulberry32: a small, fast, seeded generator (the same seed always gives the same corpus). */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const digits = (random: Random, n: number): string => Array.from({ length: n }, () => between(random, 0, 9)).join('');
const cents = (n: number): number => Math.round(n * 100) / 100;

const VENDORS = ['Northwind Office Supply', 'Harbor Freight Logistics', 'Bluebird Cleaning Co.', 'Summit Printing Ltd.', 'Keystone IT Services', 'Greenfield Catering', 'Atlas Facility Management', 'Redwood Legal Partners', 'Pioneer Courier Group', 'Meridian Software GmbH'];
const CUSTOMERS = ['Acme Insurance Ltd.', 'Acme Mutual Claims Dept.', 'Acme Insurance - Finance'];
const STREETS = ['Mill Road', 'Station Street', 'Harbour Way', 'Kingsway', 'Elm Avenue', 'Market Square', 'Bridge Lane'];
const CITIES = ['Springfield', 'Riverton', 'Lakeside', 'Fairview', 'Oakdale', 'Brookfield'];
const ITEMS = ['Printer paper A4, 5 reams', 'Toner cartridge', 'Office cleaning, monthly', 'Courier delivery', 'Consulting hours', 'Software licence renewal', 'Catering for staff meeting', 'Desk chairs', 'Network switch', 'Document scanning service', 'Archive boxes', 'Legal review', 'Server maintenance', 'Window cleaning'];
const FIRST = ['Dana', 'Liam', 'Priya', 'Marco', 'Chen', 'Sofia', 'Owen', 'Amara', 'Jonas', 'Elena', 'Tom', 'Fatima'];
const LAST = ['Whitfield', 'Okafor', 'Novak', 'Fischer', 'Larsen', 'Moreau', 'Schmidt', 'Patel', 'Kowalski', 'Brennan', 'Ito', 'Garcia'];
export const INCIDENTS: Record<ClaimType, string[]> = {
  Auto: ['Rear-ended at a red light on Mill Road; bumper and tail lights damaged.', 'Side mirror broken by a passing truck while parked.', 'Windscreen cracked by a stone on the motorway.'],
  Home: ['Water leak from the upstairs bathroom damaged the kitchen ceiling.', 'Storm blew tiles off the roof; rain came into the attic.', 'Burglary through the back door; laptop and jewellery taken.'],
  Travel: ['Suitcase lost on a connecting flight and never returned.', 'Trip cancelled after a hospital stay; hotel not refundable.', 'Phone stolen from a bag at the train station.'],
};

export interface LineItem {
  description: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}

export interface Invoice {
  kind: 'invoice';
  vendor: string;
  vendorAddress: string;
  customer: string;
  invoiceNumber: string;
  poNumber: string;
  invoiceDate: string;
  dueDate: string;
  items: LineItem[];
  subtotal: number;
  taxRate: number;
  tax: number;
  total: number;
}

export type ClaimType = 'Auto' | 'Home' | 'Travel';

export interface ClaimForm {
  kind: 'claim';
  policyNumber: string;
  claimant: string;
  claimType: ClaimType;
  incidentDate: string;
  amount: number;
  phone: string;
  description: string;
}

function isoDay(start: Date, offsetDays: number): string {
  return new Date(start.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

const EPOCH = new Date(Date.UTC(2023, 0, 1));

export function randomInvoice(random: Random): Invoice {
  const count = between(random, 2, 5);
  const items = Array.from({ length: count }, (): LineItem => {
    const quantity = between(random, 1, 12);
    const unitPrice = cents(between(random, 500, 95_000) / 100);
    return { description: pick(random, ITEMS), quantity, unitPrice, amount: cents(quantity * unitPrice) };
  });
  const subtotal = cents(items.reduce((sum, item) => sum + item.amount, 0));
  const taxRate = pick(random, [0, 5, 7, 8, 10, 19, 20]);
  const tax = cents((subtotal * taxRate) / 100);
  const dayOffset = between(random, 0, 700);
  return {
    kind: 'invoice',
    vendor: pick(random, VENDORS),
    vendorAddress: `${between(random, 1, 240)} ${pick(random, STREETS)}, ${pick(random, CITIES)}`,
    customer: pick(random, CUSTOMERS),
    invoiceNumber: `INV-${digits(random, 6)}`,
    poNumber: `PO-${digits(random, 5)}`,
    invoiceDate: isoDay(EPOCH, dayOffset),
    dueDate: isoDay(EPOCH, dayOffset + pick(random, [14, 30, 45, 60])),
    items,
    subtotal,
    taxRate,
    tax,
    total: cents(subtotal + tax),
  };
}

export function randomClaim(random: Random): ClaimForm {
  const claimType = pick(random, ['Auto', 'Home', 'Travel'] as const);
  return {
    kind: 'claim',
    policyNumber: `POL-${digits(random, 6)}`,
    claimant: `${pick(random, FIRST)} ${pick(random, LAST)}`,
    claimType,
    incidentDate: isoDay(EPOCH, between(random, 0, 700)),
    amount: cents(between(random, 5_000, 2_500_000) / 100),
    phone: `555-${digits(random, 3)}-${digits(random, 4)}`,
    description: pick(random, INCIDENTS[claimType]),
  };
}

/** The values an extraction of this document must find, by field name. */
export function groundTruth(doc: Invoice | ClaimForm): Record<string, unknown> {
  if (doc.kind === 'claim') {
    const { policyNumber, claimant, claimType, incidentDate, amount, description } = doc;
    return { policyNumber, claimant, claimType, incidentDate, amount, description };
  }
  const { vendor, invoiceNumber, poNumber, invoiceDate, dueDate, subtotal, tax, total } = doc;
  return { vendor, invoiceNumber, poNumber, invoiceDate, dueDate, items: doc.items.map((i) => i.amount), subtotal, tax, total };
}
