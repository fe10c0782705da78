// What a field is called on real documents, in English, German, French, Spanish, Italian and Dutch. A field's concept is
// derived from its name, then its labels, then its description ("invoiceNumber", "Invoice No.",
// "The invoice number" → invoice number); the concept brings the label wordings people print for
// it and how its value ends (a name is one line, free text runs over several). Written from what
// invoices and claim forms commonly print — never from failures of the held-out corpus
// (assets/documents/split.ts).
import type { FieldSpec } from '../../format/schema.js';

/** How a string value ends: a name or ID is one line; free text runs on over its paragraph. */
export type ValueShape = 'line' | 'text';

export interface Concept {
  id: string;
  /** Word sets that identify the concept in a field's name, labels or description (all words of one set must appear). */
  triggers: string[][];
  /** Label wordings, every language together (a document may be in any of them). */
  labels: string[];
  shape?: ValueShape;
  /** Only for fields of these types. */
  types?: FieldSpec['type'][];
  /**
   * Documents of the kind often simply lack it (an invoice without a PO number). Only then can
   * a page that never mentions it be taken as not having it: an invoice always has a supplier
   * and line amounts, so not finding them means not recognising them.
   */
  mayBeAbsent?: boolean;
  /** Labels that name the concept on some documents and something else on others ("Our ref."): they yield to the others. */
  weakLabels?: string[];
  /** A number concept's head nouns ("policy", "Vertrag", "contrat"): in running text, what the number it leads to is. */
  heads?: string[];
}

/**
 * What a number's label is made of: a head noun and a number word, in the spellings people
 * print — "Contract No.", "Contract #", "Vertragsnummer", "Vertrags-Nr.", "Vertrag Nr.",
 * "N° de contrat", "Contrat n°". Spelled out for each number concept rather than listed one
 * wording at a time, so a head word the vocabulary knows brings every usual spelling with it.
 */
interface NumberHeads {
  /** Words that stand before a number word: English, and German or French nouns written apart ("Police Nr."). */
  apart: string[];
  /** German stems joined to "nummer" / "-Nr." / "-ID" ("Vertrags" → Vertragsnummer, Vertrags-Nr., Vertrags-ID). */
  joined: string[];
  /** French nouns after "N° de" / before "n°". */
  fr: string[];
  /** Spanish nouns after "Nº de" / before "nº" ("Nº de factura", "Póliza nº"). */
  es?: string[];
  /** Italian nouns after "N." / "Numero" / before "n." ("N. fattura", "Polizza n."). */
  it?: string[];
  /** Dutch stems joined to "nummer" / "nr." or written apart ("Factuur" → Factuurnummer, Factuurnr., Factuur nr.). */
  nl?: string[];
}

const NUMBER_WORDS = ['No.', 'Nr.', 'Number', '#', 'Ref.', 'Reference', 'ID'];

/** French "de", elided before a vowel or a mute h: "N° de police", "N° d'adhérent". */
const de = (word: string): string => (/^[aeiouyéèêh]/iu.test(word) ? "d'" : 'de ');

const cap = (word: string): string => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;

function numberLabels(h: NumberHeads): string[] {
  return [
    ...h.apart.flatMap((w) => NUMBER_WORDS.map((n) => `${w} ${n}`)),
    ...h.joined.flatMap((s) => [`${s}nummer`, `${s}-Nummer`, `${s}-Nr.`, `${s}nr.`, `${s}-ID`]),
    ...h.fr.flatMap((w) => [`N° ${de(w)}${w}`, `N° ${w}`, `No ${de(w)}${w}`, `Numéro ${de(w)}${w}`, `${cap(w)} n°`, `Réf. ${w}`, `Identifiant du ${w}`, `Identifiant de ${w}`]),
    ...(h.es ?? []).flatMap((w) => [...['Nº', 'N.º', 'N°', 'No.', 'Número', 'Núm.'].map((n) => `${n} de ${w}`), `Nº ${w}`, ...['nº', 'n.º', 'n°', 'número', 'núm.'].map((n) => `${cap(w)} ${n}`), `Ref. ${w}`, `Referencia de ${w}`]),
    ...(h.nl ?? []).flatMap((s) => [`${s}nummer`, `${s}nr.`, `${s} nr.`, `${s}-nr.`, `${s} nummer`, `Nummer ${s.toLowerCase()}`]),
    ...(h.it ?? []).flatMap((w) => [...['N.', 'N°', 'Nr.', 'Numero', 'Numero di', 'Numero del', 'Numero della'].map((n) => `${n} ${w}`), ...['n.', 'n°', 'nr.', 'numero'].map((n) => `${cap(w)} ${n}`), `Rif. ${w}`, `Riferimento ${w}`]),
  ];
}

const BASE_CONCEPTS: (Concept & { numberHeads?: NumberHeads })[] = [
  {
    id: 'invoiceNumber',
    triggers: [['invoice', 'number'], ['invoice', 'no'], ['invoice', 'id'], ['invoice', 'ref'], ['invoice', 'reference']],
    labels: ['Invoice No.', 'Invoice Number', 'Invoice #', 'Invoice Ref.', 'Invoice Reference', 'Invoice ID', 'Rechnungsnummer', 'Rechnungs-Nr.', 'Rechnung Nr.', 'Rechnungs-Nummer', 'Re.-Nr.', 'Our ref.', 'Our reference', 'Our invoice', 'Unsere Rechnung', 'Notre facture', 'N° de facture', 'Numéro de facture', 'No de facture', 'Facture N°', 'Facture n°'],
    weakLabels: ['Our ref.', 'Our reference'],
    numberHeads: { apart: ['Invoice', 'Tax Invoice', 'Bill', 'Document', 'Rechnung', 'Beleg', 'Faktura'], joined: ['Rechnungs', 'Beleg', 'Faktura'], fr: ['facture', 'pièce', 'document'], es: ['factura', 'documento'], it: ['fattura', 'documento'], nl: ['Factuur', 'Nota', 'Document'] },
  },
  {
    id: 'invoiceDate',
    triggers: [['invoice', 'date'], ['issue', 'date'], ['date', 'issued'], ['issued']],
    labels: ['Invoice Date', 'Date of Issue', 'Issue Date', 'Issued', 'Date', 'Rechnungsdatum', 'Ausstellungsdatum', 'Belegdatum', 'Ausgestellt am', 'Datum', 'Établie le', 'Émise le', 'Date de facture', 'Date de facturation', "Date d'émission", 'Date', 'Invoice dated', 'Datum der Rechnung', 'Facture du'],
    types: ['date'],
  },
  {
    id: 'dueDate',
    triggers: [['due'], ['payment', 'due'], ['due', 'date']],
    labels: ['Due Date', 'Payment Due', 'Due', 'Due by', 'Payment due by', 'Pay by', 'Settle by', 'Payable by', 'Fälligkeitsdatum', 'Fällig am', 'Fälligkeit', 'Zahlbar bis', 'Zahlungsziel', "Date d'échéance", 'Échéance', 'Date limite de paiement', 'À payer avant le', 'Ausgleich bis', 'À solder le'],
    types: ['date'],
  },
  {
    id: 'poNumber',
    triggers: [['po'], ['purchase', 'order'], ['order', 'number'], ['order']],
    mayBeAbsent: true,
    labels: ['PO Number', 'PO No.', 'PO', 'Purchase Order', 'Purchase Order No.', 'Order Number', 'Order No.', 'Your order', 'Your order ref.', 'Order ref.', 'Bestellnummer', 'Bestell-Nr.', 'Ihre Bestellung', 'Auftragsnummer', 'Auftrags-Nr.', 'N° de commande', 'Numéro de commande', 'Bon de commande', 'Votre commande', 'Réf. commande', 'Booking ref.', 'Booking reference', 'Buchungsreferenz', 'Réf. de réservation', 'Purchasing document', 'Purchasing doc.', 'Purchase document', 'Einkaufsbeleg', 'Bestellbeleg', "Document d'achat", 'Document d’achat', "Bon d'achat"],
    numberHeads: { apart: ['PO', 'P.O.', 'Purchase Order', 'Order', 'Your Order', 'Requisition', 'Purchasing Document', 'Bestellung', 'Auftrag'], joined: ['Bestell', 'Auftrags', 'Einkaufsbeleg'], fr: ['commande', 'bon de commande'], es: ['pedido', 'orden de compra'], it: ['ordine', 'ordine di acquisto'], nl: ['Inkooporder', 'Bestel', 'Bestelling', 'Order', 'Inkoop'] },
  },
  {
    id: 'vendor',
    triggers: [['vendor'], ['supplier'], ['seller'], ['from']],
    labels: ['From', 'Supplier', 'Vendor', 'Seller', 'Bill from', 'Billed by', 'Sold by', 'Lieferant', 'Verkäufer', 'Rechnungssteller', 'Absender', 'Fournisseur', 'Vendeur', 'Émetteur', 'Issued by', 'Ausgestellt von', 'Émis par', 'Leistender Unternehmer', 'Leistungserbringer'],
    shape: 'line',
    types: ['string'],
  },
  {
    id: 'customer',
    triggers: [['customer'], ['bill', 'to'], ['buyer']],
    labels: ['Bill to', 'Billed to', 'Customer', 'Buyer', 'Käufer', 'Acheteur', 'Leistungsempfänger', 'Invoice to', 'Sold to', 'Kunde', 'Rechnungsempfänger', 'Empfänger', 'Client', 'Destinataire', 'Facturé à'],
    shape: 'line',
    types: ['string'],
  },
  {
    id: 'subtotal',
    triggers: [['subtotal'], ['net'], ['sub', 'total']],
    labels: ['Subtotal', 'Sub-total', 'Net amount', 'Net', 'Net total', 'Total excl. tax', 'Zwischensumme', 'Nettobetrag', 'Summe netto', 'Netto', 'Sous-total', 'Total HT', 'Montant HT', 'Net value', 'Nettowert', 'Valeur nette'],
    types: ['money', 'number'],
  },
  {
    id: 'tax',
    triggers: [['tax'], ['vat']],
    labels: ['Tax', 'VAT', 'Sales tax', 'GST', 'MwSt.', 'MwSt', 'USt.', 'USt', 'Mehrwertsteuer', 'Umsatzsteuer', 'TVA', 'Montant TVA', 'Tax amount', 'Steuerbetrag', 'Montant de taxe', 'Montant de la taxe'],
    types: ['money', 'number'],
  },
  {
    id: 'total',
    triggers: [['total'], ['amount', 'due'], ['grand', 'total'], ['balance']],
    labels: ['Total', 'Total due', 'Amount due', 'Grand total', 'Balance due', 'Amount payable', 'Total payable', 'Gesamtbetrag', 'Gesamtsumme', 'Rechnungsbetrag', 'Zu zahlen', 'Endbetrag', 'Summe brutto', 'Total TTC', 'Net à payer', 'Montant TTC', 'Montant total', 'Total à payer', 'Gross amount', 'Gross total', 'Bruttobetrag', 'Gesamtbrutto', 'Montant brut', 'Total brut'],
    types: ['money', 'number'],
  },
  {
    id: 'items',
    triggers: [['items'], ['line', 'items'], ['amounts']],
    labels: ['Amount', 'Line total', 'Betrag', 'Gesamtpreis', 'Montant', 'Montant HT'],
    types: ['list'],
  },
  {
    id: 'currency',
    triggers: [['currency']],
    labels: ['Currency', 'Währung', 'Devise'],
    types: ['enum', 'string'],
  },
  {
    id: 'policyNumber',
    triggers: [['policy'], ['policy', 'number']],
    labels: ['Policy Number', 'Policy No.', 'Policy #', 'Policy ID', 'Policy', 'Versicherungsnummer', 'Versicherungsschein-Nr.', 'Versicherungsscheinnummer', 'Policennummer', 'Police-Nr.', 'N° de police', 'Numéro de police', 'N° de contrat', 'Numéro de contrat', 'Versicherungsschein', 'Certificate no', 'Certificat n°', 'Certificate of insurance', "Certificat d'assurance"],
    // An assistance club or a health scheme knows its cover by the member's number ("Membership no.", "Mitgliedsnummer", "N° d'adhérent").
    numberHeads: { apart: ['Policy', 'Contract', 'Cover', 'Certificate', 'Member', 'Membership', 'Police', 'Vertrag', 'Mitglied'], joined: ['Versicherungs', 'Versicherungsschein', 'Vertrags', 'Policen', 'Police', 'Deckungs', 'Zertifikat', 'Mitglieds'], fr: ['police', 'contrat', 'couverture', 'certificat', 'membre', 'adhérent', 'sociétaire'], es: ['póliza', 'contrato', 'certificado', 'socio', 'afiliado'], it: ['polizza', 'contratto', 'certificato', 'socio', 'tessera'], nl: ['Polis', 'Contract', 'Lid', 'Lidmaatschaps', 'Certificaat'] },
  },
  {
    id: 'claimant',
    triggers: [['claimant'], ['insured'], ['policyholder'], ['policy', 'holder']],
    labels: ['Claimant', 'Claimant Name', 'Name of Claimant', 'Insured', 'Insured person', 'Policyholder', 'Name', 'Policy holder', 'Insured name', 'Versicherungsnehmer', 'Name des Versicherungsnehmers', 'Versicherte Person', 'Anspruchsteller', 'Antragsteller', 'Titulaire', 'Preneur d’assurance', 'Full name of insured', 'Vor- und Zuname', 'Nom et prénom de l’assuré', 'Name', 'Assuré', "Nom de l'assuré", 'Nom du déclarant', 'Nom', 'Member name', 'Name of member', 'Name des Mitglieds', 'Nom du membre', "Nom de l'adhérent"],
    shape: 'line',
    types: ['string'],
  },
  {
    id: 'claimType',
    triggers: [['claim', 'type'], ['type', 'claim']],
    labels: ['Claim Type', 'Type of Claim', 'Type of loss', 'Nature of claim', 'Cover type', 'Line of business', 'Schadenart', 'Art des Schadens', 'Sparte', 'Branche', 'Type de sinistre', 'Nature du sinistre', 'Garantie', 'Section of cover', 'Deckungsbereich', 'Section de garantie', 'Betroffener Baustein', 'Baustein', 'Garantie concernée', 'Benefit', 'Benefit claimed', 'Benefit claimed under', 'Service requested', 'Leistung', 'Leistungsart', 'Leistungsbereich', 'Prestation', 'Prestation demandée'],
  },
  {
    id: 'incidentDate',
    triggers: [['incident'], ['loss', 'date'], ['date', 'loss'], ['accident']],
    labels: ['Date of Incident', 'Incident Date', 'Date of Loss', 'Loss Date', 'Date of accident', 'Date of event', 'Schadendatum', 'Schadentag', 'Datum des Schadens', 'Unfalldatum', 'Ereignisdatum', 'Ereignistag', 'Date du sinistre', "Date de l'incident", "Date de l'accident", 'Date of occurrence', 'Tag des Ereignisses', 'Datum des Ereignisses', 'Date de survenance', 'Date loss occurred', 'Event date', 'Date de l’événement', "Date de l'événement", 'Datum des Verlusts', 'Date de la perte', 'When did the loss occur', 'Wann trat der Schaden ein', 'Quand le sinistre est-il survenu'],
    types: ['date'],
  },
  {
    id: 'claimAmount',
    triggers: [['claim', 'amount'], ['amount', 'claimed']],
    labels: ['Claim Amount', 'Amount Claimed', 'Amount of claim', 'Claimed amount', 'Amount of loss', 'Amount sought', 'Estimated loss', 'Schadenbetrag', 'Schadenhöhe', 'Schadensumme', 'Geforderter Betrag', 'Beantragte Summe', 'Forderung', 'Montant demandé', 'Estimation du dommage', 'Montant réclamé', 'Montant du sinistre', 'Montant du dommage', 'Total claimed', 'Total amount claimed', 'Amount to reimburse', 'Reimbursement amount', 'Erstattungsbetrag', 'Erstattungsbetrag gesamt', 'Montant total demandé', 'Montant total réclamé', 'Montant à rembourser'],
    types: ['money', 'number'],
  },
  {
    id: 'description',
    triggers: [['description'], ['what', 'happened'], ['circumstances'], ['details'], ['notes'], ['comments'], ['remarks']],
    labels: ['Description', 'Description of Incident', 'What happened', 'Circumstances', 'Details of loss', 'Details of event', 'Loss description', 'Schadenhergang', 'Hergang', 'Sachverhalt', 'Was ist passiert?', 'Beschreibung', 'Schadenbeschreibung', 'Récit', 'Description du sinistre', 'Circonstances', 'Description', 'How the loss occurred', 'How it happened', 'Wie kam es zum Schaden', 'Wie ist der Schaden entstanden', 'Comment la perte est survenue', 'Comment le sinistre est survenu', 'Reason for claim', 'Reason for request', 'Grund des Antrags', 'Motif de la demande', 'Motif'],
    shape: 'text',
    types: ['string'],
  },
];

/**
 * The same concepts as Spanish and Italian invoices and claim forms print them (their number labels come from the heads
 * above). Written from common Spanish and Italian business forms, not from a corpus's failures.
 */
const SPANISH_ITALIAN: Record<string, string[]> = {
  invoiceNumber: ['Factura número', 'Número de la factura', 'Fattura numero', 'Numero documento'],
  invoiceDate: ['Fecha', 'Fecha de factura', 'Fecha factura', 'Fecha de emisión', 'Fecha de expedición', 'Emitida el', 'Fecha de la factura', 'Data', 'Data fattura', 'Data della fattura', 'Data di emissione', 'Data documento', 'Emessa il'],
  dueDate: ['Fecha de vencimiento', 'Vencimiento', 'Vence el', 'Fecha límite de pago', 'Pagar antes del', 'A pagar antes del', 'Pago antes del', 'Scadenza', 'Data scadenza', 'Data di scadenza', 'Scadenza pagamento', 'Da pagare entro il', 'Pagamento entro il'],
  poNumber: ['Pedido', 'Su pedido', 'Orden de compra', 'Referencia del pedido', 'Ref. pedido', 'Ordine', 'Vostro ordine', "Ordine d'acquisto", 'Rif. ordine', 'Riferimento ordine'],
  vendor: ['Proveedor', 'Emisor', 'Vendedor', 'Emitida por', 'Expedidor', 'Fornitore', 'Emittente', 'Venditore', 'Cedente', 'Cedente/prestatore', 'Prestatore'],
  customer: ['Cliente', 'Destinatario', 'Facturar a', 'Destinatario de la factura', 'Comprador', 'Cessionario', 'Committente', 'Intestatario'],
  subtotal: ['Base imponible', 'Subtotal', 'Importe neto', 'Total sin IVA', 'Neto', 'Imponibile', 'Totale imponibile', 'Subtotale', 'Importo netto', 'Totale netto'],
  tax: ['IVA', 'Cuota IVA', 'Cuota de IVA', 'Importe IVA', 'Impuesto', 'Impuestos', 'Imposta', 'Totale IVA', 'Importo IVA'],
  total: ['Total', 'Total factura', 'Total a pagar', 'Importe total', 'Total con IVA', 'Importe a pagar', 'Totale', 'Totale fattura', 'Totale da pagare', 'Importo totale', 'Totale documento', 'Netto a pagare', 'Totale dovuto'],
  items: ['Importe', 'Importo'],
  currency: ['Moneda', 'Divisa', 'Valuta'],
  policyNumber: ['Póliza', 'Polizza'],
  claimant: ['Tomador', 'Asegurado', 'Nombre del asegurado', 'Nombre y apellidos', 'Nombre', 'Titular', 'Reclamante', 'Nombre del tomador', 'Nombre del reclamante', 'Contraente', 'Assicurato', 'Nome e cognome', "Nome dell'assicurato", 'Cognome e nome', 'Nome', 'Richiedente'],
  claimType: ['Tipo de siniestro', 'Ramo', 'Garantía', 'Cobertura', 'Tipo de reclamación', 'Naturaleza del siniestro', 'Garantía afectada', 'Tipo di sinistro', 'Garanzia', 'Copertura', 'Tipo di danno', 'Natura del sinistro', 'Garanzia interessata'],
  incidentDate: ['Fecha del siniestro', 'Fecha de ocurrencia', 'Fecha del incidente', 'Fecha del accidente', 'Fecha del suceso', 'Cuándo ocurrió', 'Fecha de los hechos', 'Data del sinistro', 'Data sinistro', "Data dell'incidente", "Data dell'evento", 'Data di accadimento', 'Quando è successo', 'Data del danno'],
  claimAmount: ['Importe reclamado', 'Importe solicitado', 'Cuantía', 'Cuantía reclamada', 'Importe del siniestro', 'Importe de los daños', 'Importe estimado', 'Importe total reclamado', 'Importo richiesto', 'Importo del danno', 'Importo reclamato', 'Ammontare del danno', 'Importo stimato', 'Somma richiesta', 'Totale richiesto'],
  description: ['Descripción', 'Descripción del siniestro', 'Qué ocurrió', 'Qué pasó', 'Circunstancias', 'Relato de los hechos', 'Descripción de los hechos', 'Cómo ocurrió', 'Descrizione', 'Descrizione del sinistro', 'Cosa è successo', 'Circostanze', 'Dinamica del sinistro', 'Descrizione dei fatti', "Que s'est-il passé", 'Que s’est-il passé'],
};

/**
 * The same concepts as Dutch invoices and claim forms print them (number labels from the heads above). Written from
 * common Dutch business forms (facturen, schadeformulieren), not from a corpus's failures.
 */
const DUTCH: Record<string, string[]> = {
  invoiceNumber: ['Nummer factuur'],
  invoiceDate: ['Factuurdatum', 'Datum factuur', 'Datum', 'Datum van uitgifte', 'Uitgiftedatum', 'Documentdatum', 'Notadatum', 'Gefactureerd op', 'Factuur van'],
  dueDate: ['Vervaldatum', 'Vervaldag', 'Uiterste betaaldatum', 'Te betalen vóór', 'Te betalen voor', 'Betalen vóór', 'Betalen voor', 'Uiterlijk te betalen op', 'Betaaldatum', 'Te voldoen vóór', 'Betaling vóór'],
  poNumber: ['Inkooporder', 'Bestelling', 'Uw bestelling', 'Uw order', 'Bestelbon', 'Ordernummer', 'Inkoopnummer', 'Bestelreferentie'],
  vendor: ['Leverancier', 'Verkoper', 'Afzender', 'Uitgegeven door', 'Gefactureerd door', 'Crediteur'],
  customer: ['Klant', 'Afnemer', 'Koper', 'Factuur aan', 'Gefactureerd aan', 'Debiteur', 'Factuuradres'],
  subtotal: ['Subtotaal', 'Subtotaal excl. btw', 'Totaal excl. btw', 'Bedrag excl. btw', 'Nettobedrag', 'Netto', 'Totaal exclusief btw'],
  tax: ['Btw', 'BTW', 'Btw-bedrag', 'Bedrag btw', 'Omzetbelasting', 'Belasting'],
  total: ['Totaal', 'Totaal incl. btw', 'Totaal inclusief btw', 'Totaalbedrag', 'Eindtotaal', 'Totaal te betalen', 'Te betalen', 'Bedrag incl. btw', 'Factuurbedrag'],
  items: ['Bedrag', 'Totaalprijs', 'Regeltotaal'],
  currency: ['Valuta', 'Munteenheid'],
  policyNumber: ['Polis'],
  claimant: ['Verzekeringnemer', 'Verzekerde', 'Naam verzekerde', 'Naam van de verzekerde', 'Naam', 'Naam en voornaam', 'Aanvrager', 'Melder', 'Naam verzekeringnemer'],
  claimType: ['Soort schade', 'Schadesoort', 'Type schade', 'Dekking', 'Aard van de schade', 'Soort claim', 'Verzekering'],
  incidentDate: ['Schadedatum', 'Datum schade', 'Datum van de schade', 'Datum voorval', 'Datum van het voorval', 'Datum ongeval', 'Datum van de gebeurtenis', 'Wanneer gebeurde het', 'Wanneer is het gebeurd'],
  claimAmount: ['Schadebedrag', 'Geclaimd bedrag', 'Gevraagd bedrag', 'Bedrag van de schade', 'Geschat schadebedrag', 'Totaal gevraagd', 'Gevraagde vergoeding', 'Te vergoeden bedrag'],
  description: ['Omschrijving', 'Omschrijving van de schade', 'Toedracht', 'Wat is er gebeurd', 'Beschrijving', 'Omstandigheden', 'Hoe is de schade ontstaan', 'Hoe is het gebeurd'],
};

/**
 * Polish wordings, kept apart like the Dutch ones. "ł" has no plainer letter under it, so labels with it also come as a
 * scan or a keyboard without it writes them ("płatności" / "platnosci").
 */
const POLISH_WORDS: Record<string, string[]> = {
  invoiceNumber: ['Nr faktury', 'Numer faktury', 'Faktura nr', 'Faktura VAT nr'],
  invoiceDate: ['Data wystawienia', 'Data wystawienia faktury', 'Wystawiono dnia', 'Data faktury'],
  dueDate: ['Termin płatności', 'Termin zapłaty', 'Płatne do', 'Zapłata do', 'Do zapłaty do'],
  poNumber: ['Nr zamówienia', 'Numer zamówienia', 'Zamówienie nr', 'Nasze zamówienie', 'Nr zamówienia nabywcy'],
  vendor: ['Sprzedawca', 'Wystawca', 'Dostawca', 'Sprzedający'],
  customer: ['Nabywca', 'Odbiorca', 'Kupujący', 'Płatnik'],
  // "Wartość netto" / "Wartość brutto" head the line amounts' columns on Polish invoices: no labels of the sums.
  subtotal: ['Razem netto', 'Suma netto', 'Kwota netto'],
  tax: ['Kwota VAT', 'Podatek VAT', 'VAT', 'Razem VAT'],
  total: ['Do zapłaty', 'Razem do zapłaty', 'Razem brutto', 'Kwota brutto', 'Suma brutto'],
  items: ['Wartość pozycji'],
  currency: ['Waluta'],
  policyNumber: ['Nr polisy', 'Numer polisy', 'Polisa nr'],
  claimant: ['Ubezpieczony', 'Ubezpieczona', 'Poszkodowany', 'Imię i nazwisko', 'Zgłaszający', 'Ubezpieczający'],
  claimType: ['Rodzaj szkody', 'Rodzaj ubezpieczenia', 'Zakres ubezpieczenia', 'Rodzaj roszczenia'],
  incidentDate: ['Data zdarzenia', 'Data szkody', 'Dzień zdarzenia', 'Data wypadku'],
  claimAmount: ['Kwota roszczenia', 'Wnioskowana kwota', 'Kwota odszkodowania', 'Łączna kwota roszczenia', 'Razem wnioskowana kwota'],
  description: ['Opis zdarzenia', 'Przebieg zdarzenia', 'Opis szkody', 'Okoliczności zdarzenia', 'Co się stało'],
};
const POLISH: Record<string, string[]> = Object.fromEntries(Object.entries(POLISH_WORDS).map(([id, labels]) => [id, [...new Set(labels.flatMap((l) => [l, l.replace(/ł/gu, 'l').replace(/Ł/gu, 'L')]))]]));

/** English date labels both ways round: "Invoice Date" and "Date of invoice", "Date of Loss" and "Loss date". */
function dateLabelTurns(labels: string[]): string[] {
  return labels.flatMap((label) => {
    const ofForm = /^Date of (?:the )?(.+)$/i.exec(label);
    if (ofForm) return [`${ofForm[1]!.charAt(0).toUpperCase()}${ofForm[1]!.slice(1)} date`];
    const dateForm = /^([A-Za-z]+(?: [A-Za-z]+)?) Date$/i.exec(label);
    return dateForm ? [`Date of ${dateForm[1]!.toLowerCase()}`] : [];
  });
}

export const CONCEPTS: Concept[] = BASE_CONCEPTS.map(({ numberHeads, ...concept }) => {
  const labels = [...concept.labels, ...(SPANISH_ITALIAN[concept.id] ?? []), ...(DUTCH[concept.id] ?? []), ...(POLISH[concept.id] ?? []), ...(numberHeads ? numberLabels(numberHeads) : []), ...(concept.types?.includes('date') ? dateLabelTurns(concept.labels) : [])];
  return { ...concept, labels: [...new Set(labels)], ...(numberHeads ? { heads: [...numberHeads.apart, ...numberHeads.fr, ...(numberHeads.es ?? []), ...(numberHeads.it ?? []), ...(numberHeads.nl ?? [])] } : {}) };
});

/** Enum values as other languages and trades print them (Kfz → Auto). */
export const VALUE_SYNONYMS: Record<string, string[]> = {
  auto: ['Voertuig', 'Motorrijtuig', 'Automóvil', 'Vehículo', 'Coche', 'Veicolo', 'Autoveicolo', 'Kfz', 'Motor', 'Car', 'Vehicle', 'Automobile', 'Fahrzeug', 'Kraftfahrzeug', 'Motorfahrzeug', 'Véhicule', 'Automobile', 'Breakdown', 'Pannenhilfe', 'Panne', 'Dépannage'],
  home: ['Woning', 'Inboedel', 'Opstal', 'Huis', 'Hogar', 'Vivienda', 'Casa', 'Abitazione', 'Household', 'Property', 'Buildings', 'Contents', 'Hausrat', 'Haushalt', 'Wohngebäude', 'Gebäude', 'Habitation', 'Maison', 'Logement', 'Haus'],
  travel: ['Reis', 'Viaje', 'Viaggio', 'Trip', 'Holiday', 'Vacation', 'Journey', 'Reise', 'Voyage', 'Déplacement', 'Abroad', 'Overseas', 'Étranger'],
};

/** Words of a name, label or description: "invoiceNumber" → invoice, number; "Invoice No." → invoice, no. */
export function words(text: string): string[] {
  return text
    .replace(/([\p{Ll}\d])(\p{Lu})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function bestConcept(tokens: string[], type: FieldSpec['type']): Concept | undefined {
  const have = new Set(tokens);
  let best: { concept: Concept; size: number } | undefined;
  for (const concept of CONCEPTS) {
    if (concept.types && !concept.types.includes(type ?? 'string')) continue;
    for (const trigger of concept.triggers) {
      if (trigger.every((w) => have.has(w)) && (!best || trigger.length > best.size)) best = { concept, size: trigger.length };
    }
  }
  return best?.concept;
}

/** The concept of a field: from its name first, then its labels, then its description. */
export function conceptOf(spec: FieldSpec): Concept | undefined {
  const type = spec.type ?? 'string';
  return bestConcept(words(spec.name), type) ?? (spec.labels ?? []).map((l) => bestConcept(words(l), type)).find(Boolean) ?? (spec.description ? bestConcept(words(spec.description), type) : undefined);
}

/** Whether a string field's value is free text that runs over lines (a description), not a name or an ID. */
export function valueShape(spec: FieldSpec): ValueShape {
  return conceptOf(spec)?.shape ?? 'line';
}

/**
 * How a question asks for a kind of value, in the six languages, folded (lower case, no accents): "When did it
 * happen?", "Wie hoch ist der Schaden?", "Décrivez ce qui s'est passé". A chat assistant's question names the thing
 * asked for in its own words more often than in a form's label.
 */
const QUESTION_WORDS = {
  date: /(?<!\p{L})(?:when|wann|quand|wanneer|cuando|quando)(?!\p{L})/u,
  money: /(?<!\p{L})(?:how much|how high|wie (?:hoch|viel)|welche[nrs]? betrag|combien|quel montant|welk bedrag|hoeveel|hoe hoog|cuanto|que importe|quanto|quale importo)(?!\p{L})/u,
  text: /(?<!\p{L})(?:what happened|tell (?:me|us)|describe|beschreib\p{L}*|schilder\p{L}*|was (?:ist )?passiert|decri\p{L}*|racontez|(?:ce qui|qu'est-ce qui) s'est passe|vertel|beschrijf|wat er (?:is )?gebeurd|describa|cuente|que (?:ha )?(?:ocurrido|pasado)|descriva|racconti|cosa (?:e )?successo)(?!\p{L})/u,
} as const;

/** The question words that ask for a field's kind of value, if its kind has any (a name or number is asked for by its label). */
export function questionWords(spec: FieldSpec): RegExp | undefined {
  if (spec.type === 'date') return QUESTION_WORDS.date;
  if (spec.type === 'money' || (spec.type === 'number' && conceptOf(spec)?.types?.includes('money'))) return QUESTION_WORDS.money;
  if (spec.type === 'string' && valueShape(spec) === 'text') return QUESTION_WORDS.text;
  return undefined;
}
