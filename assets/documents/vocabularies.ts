// What the variety corpus prints: label wordings in English, German and French, amount and
// date styles, ID formats. Which of them belong to the design set and which are held out is
// decided in split.ts.
import type { DateStyle, MoneyStyle, VocabularyId } from './split.js';

export interface Vocabulary {
  language: 'en' | 'de' | 'fr';
  invoiceTitle: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  poNumber: string;
  vendor: string;
  billTo: string;
  item: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  subtotal: string;
  tax: (rate: number) => string;
  total: string;
  thanks: string;
  claimTitle: string;
  policyNumber: string;
  claimant: string;
  claimType: string;
  incidentDate: string;
  claimAmount: string;
  description: string;
  phone: string;
  /** How the claim types Auto / Home / Travel are printed. */
  claimTypes: Record<'Auto' | 'Home' | 'Travel', string>;
}

export const VOCABULARIES: Record<VocabularyId, Vocabulary> = {
  'en-A': {
    language: 'en',
    invoiceTitle: 'INVOICE',
    invoiceNumber: 'Invoice number',
    invoiceDate: 'Invoice date',
    dueDate: 'Due date',
    poNumber: 'Order number',
    vendor: 'Supplier',
    billTo: 'Customer',
    item: 'Description',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    amount: 'Amount',
    subtotal: 'Subtotal',
    tax: (rate) => `Tax ${rate}%`,
    total: 'Total',
    thanks: 'Thank you for your business.',
    claimTitle: 'Claim Form',
    policyNumber: 'Policy number',
    claimant: 'Claimant',
    claimType: 'Claim type',
    incidentDate: 'Date of incident',
    claimAmount: 'Amount claimed',
    description: 'Description',
    phone: 'Phone',
    claimTypes: { Auto: 'Auto', Home: 'Home', Travel: 'Travel' },
  },
  'de-A': {
    language: 'de',
    invoiceTitle: 'RECHNUNG',
    invoiceNumber: 'Rechnungsnummer',
    invoiceDate: 'Rechnungsdatum',
    dueDate: 'Fälligkeitsdatum',
    poNumber: 'Bestellnummer',
    vendor: 'Lieferant',
    billTo: 'Kunde',
    item: 'Bezeichnung',
    quantity: 'Menge',
    unitPrice: 'Einzelpreis',
    amount: 'Betrag',
    subtotal: 'Zwischensumme',
    tax: (rate) => `MwSt. ${rate} %`,
    total: 'Gesamtbetrag',
    thanks: 'Vielen Dank für Ihren Auftrag.',
    claimTitle: 'Schadenmeldung',
    policyNumber: 'Versicherungsnummer',
    claimant: 'Name des Versicherungsnehmers',
    claimType: 'Schadenart',
    incidentDate: 'Schadendatum',
    claimAmount: 'Schadenbetrag',
    description: 'Schadenhergang',
    phone: 'Telefon',
    claimTypes: { Auto: 'Kfz', Home: 'Hausrat', Travel: 'Reise' },
  },
  'en-B': {
    language: 'en',
    invoiceTitle: 'TAX INVOICE',
    invoiceNumber: 'Invoice Ref.',
    invoiceDate: 'Date',
    dueDate: 'Payment due by',
    poNumber: 'Your order ref.',
    vendor: 'Bill from',
    billTo: 'Invoice to',
    item: 'Details',
    quantity: 'Units',
    unitPrice: 'Rate',
    amount: 'Net value',
    subtotal: 'Net',
    tax: (rate) => `VAT @ ${rate}%`,
    total: 'Balance due',
    thanks: 'Payment terms as agreed.',
    claimTitle: 'Notification of Claim',
    policyNumber: 'Policy ID',
    claimant: 'Insured person',
    claimType: 'Nature of claim',
    incidentDate: 'Date of loss',
    claimAmount: 'Amount of loss',
    description: 'Circumstances',
    phone: 'Contact number',
    claimTypes: { Auto: 'Motor', Home: 'Household', Travel: 'Travel' },
  },
  'de-B': {
    language: 'de',
    invoiceTitle: 'Rechnung',
    invoiceNumber: 'Rechnungs-Nr.',
    invoiceDate: 'Datum',
    dueDate: 'Zahlbar bis',
    poNumber: 'Ihre Bestellung',
    vendor: 'Rechnungssteller',
    billTo: 'Rechnungsempfänger',
    item: 'Leistung',
    quantity: 'Anz.',
    unitPrice: 'Preis',
    amount: 'Summe',
    subtotal: 'Summe netto',
    tax: (rate) => `zzgl. USt. ${rate} %`,
    total: 'Zu zahlen',
    thanks: 'Zahlbar ohne Abzug.',
    claimTitle: 'Schadenanzeige',
    policyNumber: 'Versicherungsschein-Nr.',
    claimant: 'Versicherte Person',
    claimType: 'Art des Schadens',
    incidentDate: 'Schadentag',
    claimAmount: 'Geforderter Betrag',
    description: 'Hergang',
    phone: 'Rufnummer',
    claimTypes: { Auto: 'Kraftfahrzeug', Home: 'Wohngebäude', Travel: 'Reise' },
  },
  'fr-A': {
    language: 'fr',
    invoiceTitle: 'FACTURE',
    invoiceNumber: 'N° de facture',
    invoiceDate: 'Date de facture',
    dueDate: "Date d'échéance",
    poNumber: 'N° de commande',
    vendor: 'Fournisseur',
    billTo: 'Client',
    item: 'Désignation',
    quantity: 'Qté',
    unitPrice: 'Prix unitaire',
    amount: 'Montant',
    subtotal: 'Total HT',
    tax: (rate) => `TVA ${rate} %`,
    total: 'Total TTC',
    thanks: 'Merci de votre confiance.',
    claimTitle: 'Déclaration de sinistre',
    policyNumber: 'N° de police',
    claimant: "Nom de l'assuré",
    claimType: 'Type de sinistre',
    incidentDate: 'Date du sinistre',
    claimAmount: 'Montant réclamé',
    description: 'Description du sinistre',
    phone: 'Téléphone',
    claimTypes: { Auto: 'Auto', Home: 'Habitation', Travel: 'Voyage' },
  },
  'en-C': {
    language: 'en',
    invoiceTitle: 'Invoice',
    invoiceNumber: 'Invoice #',
    invoiceDate: 'Invoice Date',
    dueDate: 'Terms / Due',
    poNumber: 'P.O. #',
    vendor: 'Remit to',
    billTo: 'Sold to',
    item: 'Item',
    quantity: 'Qty',
    unitPrice: 'Each',
    amount: 'Extended',
    subtotal: 'Merchandise total',
    tax: (rate) => `Sales Tax (${rate}%)`,
    total: 'Total Amount Due',
    thanks: 'Please remit within terms.',
    claimTitle: 'First Notice of Loss',
    policyNumber: 'Policy #',
    claimant: 'Insured name',
    claimType: 'Line of business',
    incidentDate: 'Loss date',
    claimAmount: 'Estimated loss',
    description: 'Loss description',
    phone: 'Phone',
    claimTypes: { Auto: 'Auto', Home: 'Homeowners', Travel: 'Travel' },
  },
  'fr-B': {
    language: 'fr',
    invoiceTitle: 'Facture',
    invoiceNumber: 'Facture n°',
    invoiceDate: 'Date',
    dueDate: 'Échéance',
    poNumber: 'Votre référence',
    vendor: 'Émetteur',
    billTo: 'Adressée à',
    item: 'Libellé',
    quantity: 'Quantité',
    unitPrice: 'PU',
    amount: 'Total ligne',
    subtotal: 'Montant HTVA',
    tax: (rate) => `TVA (${rate} %)`,
    total: 'Total à payer',
    thanks: 'Paiement à réception.',
    claimTitle: 'Avis de sinistre',
    policyNumber: 'Contrat n°',
    claimant: 'Preneur d’assurance',
    claimType: 'Branche',
    incidentDate: 'Survenu le',
    claimAmount: 'Estimation du dommage',
    description: 'Circonstances',
    phone: 'Tél.',
    claimTypes: { Auto: 'Automobile', Home: 'Incendie habitation', Travel: 'Assistance voyage' },
  },
  'de-C': {
    language: 'de',
    invoiceTitle: 'Rechnung',
    invoiceNumber: 'Rechnung Nr.',
    invoiceDate: 'Rechnungsdatum',
    dueDate: 'Zahlungsfrist',
    poNumber: 'Bestellung',
    vendor: 'Absender',
    billTo: 'Empfänger',
    item: 'Artikel',
    quantity: 'Menge',
    unitPrice: 'Preis/Einheit',
    amount: 'Total',
    subtotal: 'Total exkl. MwSt.',
    tax: (rate) => `MwSt. ${rate}%`,
    total: 'Total inkl. MwSt.',
    thanks: 'Zahlbar innert 30 Tagen.',
    claimTitle: 'Schadenmeldung',
    policyNumber: 'Police Nr.',
    claimant: 'Versicherungsnehmer/in',
    claimType: 'Branche',
    incidentDate: 'Ereignisdatum',
    claimAmount: 'Schadensumme',
    description: 'Was ist passiert?',
    phone: 'Telefon',
    claimTypes: { Auto: 'Motorfahrzeug', Home: 'Hausrat', Travel: 'Reise' },
  },
};

const group = (n: number, separator: string, decimal: string, grouped = true): string => {
  const [whole, fraction] = Math.abs(n).toFixed(2).split('.') as [string, string];
  return `${n < 0 ? '-' : ''}${grouped ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator) : whole}${decimal}${fraction}`;
};

/** Each amount style with the currency it prints. */
export const MONEY: Record<MoneyStyle, { currency: string; format: (n: number) => string }> = {
  usd: { currency: 'USD', format: (n) => `$${group(n, ',', '.')}` },
  'eur-de': { currency: 'EUR', format: (n) => `${group(n, '.', ',')} €` },
  'eur-code': { currency: 'EUR', format: (n) => `EUR ${group(n, '.', ',')}` },
  gbp: { currency: 'GBP', format: (n) => `£${group(n, ',', '.')}` },
  'eur-fr': { currency: 'EUR', format: (n) => `${group(n, ' ', ',')} €` },
  'eur-plain': { currency: 'EUR', format: (n) => `${group(n, '', ',', false)} €` },
  chf: { currency: 'CHF', format: (n) => `CHF ${group(n, "'", '.')}` },
  'usd-suffix': { currency: 'USD', format: (n) => `${group(n, ',', '.')} USD` },
  'eur-prefix': { currency: 'EUR', format: (n) => `€ ${group(n, '.', ',')}` },
  'chf-typographic': { currency: 'CHF', format: (n) => `Fr. ${group(n, '\u2019', '.')}` },
};

const EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DE = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];
const FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const ymd = (iso: string): [number, number, number] => iso.split('-').map(Number) as [number, number, number];
const two = (n: number): string => String(n).padStart(2, '0');
const ordinal = (d: number): string => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;

export const DATES: Record<DateStyle, (iso: string) => string> = {
  'long-en': (iso) => `${EN[ymd(iso)[1] - 1]} ${ymd(iso)[2]}, ${ymd(iso)[0]}`,
  dotted: (iso) => `${two(ymd(iso)[2])}.${two(ymd(iso)[1])}.${ymd(iso)[0]}`,
  iso: (iso) => iso,
  'long-de': (iso) => `${ymd(iso)[2]}. ${DE[ymd(iso)[1] - 1]} ${ymd(iso)[0]}`,
  'slash-dmy': (iso) => `${two(ymd(iso)[2])}/${two(ymd(iso)[1])}/${ymd(iso)[0]}`,
  'long-fr': (iso) => `${ymd(iso)[2] === 1 ? '1er' : ymd(iso)[2]} ${FR[ymd(iso)[1] - 1]} ${ymd(iso)[0]}`,
  'dash-mon': (iso) => `${two(ymd(iso)[2])}-${EN[ymd(iso)[1] - 1]!.slice(0, 3)}-${ymd(iso)[0]}`,
  'ordinal-en': (iso) => `${ordinal(ymd(iso)[2])} ${EN[ymd(iso)[1] - 1]} ${ymd(iso)[0]}`,
  'us-slash': (iso) => `${ymd(iso)[1]}/${ymd(iso)[2]}/${ymd(iso)[0]}`,
  'short-dotted': (iso) => `${ymd(iso)[2]}.${ymd(iso)[1]}.${ymd(iso)[0]}`,
  'abbr-en': (iso) => `${EN[ymd(iso)[1] - 1]!.slice(0, 3)} ${two(ymd(iso)[2])}, ${ymd(iso)[0]}`,
};

/** Which date styles a language prints (a German invoice does not write "March 5"). */
export const DATE_LANGUAGE: Partial<Record<DateStyle, 'en' | 'de' | 'fr'>> = { 'long-en': 'en', 'long-de': 'de', 'long-fr': 'fr', 'ordinal-en': 'en', 'dash-mon': 'en', 'us-slash': 'en', 'abbr-en': 'en' };

/** An ID in a format where # is a digit. */
export function formatId(format: string, random: () => number): string {
  return format.replace(/#/g, () => String(Math.floor(random() * 10)));
}
