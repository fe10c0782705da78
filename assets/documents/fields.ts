// The fields an automation extracts from the generated invoices and claim forms, with the
// label hints of every layout and the cross-field rules: used by the tests, the benchmark
// and the example automation (which spells the same in JSON).
import type { FieldRule, FieldSpec } from '../../engine/format/schema.js';

export const INVOICE_FIELDS: FieldSpec[] = [
  { name: 'invoiceNumber', type: 'string', required: true, labels: ['Invoice No.', 'Invoice Number', 'Invoice #'], pattern: 'INV-\\d{6}' },
  { name: 'invoiceDate', type: 'date', required: true, labels: ['Invoice Date', 'Date of Issue', 'Issued'] },
  { name: 'dueDate', type: 'date', required: true, labels: ['Due Date', 'Payment Due', 'Due'] },
  { name: 'poNumber', type: 'string', labels: ['PO Number', 'Purchase Order', 'PO'], pattern: 'PO-\\d{5}' },
  { name: 'vendor', type: 'string', labels: ['From', 'Supplier', 'Vendor'] },
  { name: 'items', type: 'list', labels: ['Amount', 'Line total'] },
  { name: 'subtotal', type: 'money', required: true, labels: ['Subtotal', 'Net amount', 'Sub-total'], min: 0 },
  { name: 'tax', type: 'money', required: true, labels: ['Tax', 'VAT', 'Sales tax'], min: 0 },
  { name: 'total', type: 'money', required: true, labels: ['Total', 'Amount due', 'Total due'], min: 0 },
];

export const INVOICE_RULES: FieldRule[] = [
  { sum: 'subtotal', of: ['items'] },
  { sum: 'total', of: ['subtotal', 'tax'] },
  { after: 'dueDate', than: 'invoiceDate' },
];

export const CLAIM_FIELDS: FieldSpec[] = [
  { name: 'policyNumber', type: 'string', required: true, labels: ['Policy Number', 'Policy No.'], pattern: 'POL-\\d{6}' },
  { name: 'claimant', type: 'string', required: true, labels: ['Claimant Name', 'Name of Claimant'] },
  { name: 'claimType', type: 'enum', required: true, values: ['Auto', 'Home', 'Travel'], labels: ['Type of Claim', 'Claim Type'] },
  { name: 'incidentDate', type: 'date', required: true, labels: ['Date of Incident', 'Incident Date'] },
  { name: 'amount', type: 'money', required: true, labels: ['Claim Amount', 'Amount Claimed'], min: 0 },
  { name: 'description', type: 'string', labels: ['Description of Incident', 'What happened'] },
];

export const CLAIM_RULES: FieldRule[] = [];

/**
 * The same fields as a user would write them for invoices from many suppliers: names,
 * descriptions and English labels, but no supplier-specific ID patterns (they differ from one
 * supplier to the next), plus the currency. bench/extraction runs the variety corpus with both.
 */
export const GENERAL_INVOICE_FIELDS: FieldSpec[] = [
  { name: 'invoiceNumber', type: 'string', required: true, description: 'The invoice number', labels: ['Invoice No.', 'Invoice Number', 'Invoice #'] },
  { name: 'invoiceDate', type: 'date', required: true, description: 'The date the invoice was issued', labels: ['Invoice Date', 'Date of Issue', 'Issued'] },
  { name: 'dueDate', type: 'date', required: true, description: 'The date payment is due', labels: ['Due Date', 'Payment Due', 'Due'] },
  { name: 'poNumber', type: 'string', description: 'Our purchase order number, when the invoice quotes one', labels: ['PO Number', 'Purchase Order', 'PO'] },
  { name: 'vendor', type: 'string', description: 'The supplier who sent the invoice', labels: ['From', 'Supplier', 'Vendor'] },
  { name: 'items', type: 'list', description: 'The amounts of the line items', labels: ['Amount', 'Line total'] },
  { name: 'subtotal', type: 'money', required: true, description: 'Total before tax', labels: ['Subtotal', 'Net amount', 'Sub-total'], min: 0 },
  { name: 'tax', type: 'money', required: true, description: 'Tax amount', labels: ['Tax', 'VAT', 'Sales tax'], min: 0 },
  { name: 'total', type: 'money', required: true, description: 'Amount to pay, tax included', labels: ['Total', 'Amount due', 'Total due'], min: 0 },
  { name: 'currency', type: 'enum', values: ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD'], description: 'Currency of the amounts', labels: ['Currency'] },
];

/** Claim fields without the insurer-specific policy number pattern. */
export const GENERAL_CLAIM_FIELDS: FieldSpec[] = CLAIM_FIELDS.map(({ pattern: _pattern, ...spec }) => spec);
