// The design / held-out split of the variety corpus, decided BEFORE any extraction rule was
// written against it (2026-12-05, issue #17) and not to be moved afterwards.
//
// DESIGN: what the local provider's rules may be looked at and tuned against — the bundled
// layouts (classic, modern, compact, boxed, stacked) and two new ones, the English "A" and
// German "A" label wordings, US and German amount and date styles, and their ID formats.
//
// HELD-OUT: layouts, label wordings, ID formats, currencies and locales that appear nowhere in
// the design set. Nobody tunes on it: bench/extraction reports its figures, and its failures are
// not read to write rules. Its value is only as good as that discipline — a rule added because a
// held-out document failed turns it into a design document, and the figure stops meaning anything.
//
// One honest limit: the same person wrote the generator and the rules, so the held-out wordings
// were known while writing the label vocabularies (engine/extract/local/vocabulary.ts). The
// vocabularies were written from what invoices and claim forms commonly print, not from this
// list; the held-out set still guards against tuning on failures, not against that knowledge.

//
// HELD-OUT-2 (added 2026-12-05 22:20 UTC, after the first held-out measurement and before any
// further rule change): the first held-out figures had been seen (aggregates only, no failures
// read), so rule changes made after that cannot be judged on it. This second set, with layouts,
// wordings, formats and IDs in neither set above, was written and generated before those
// changes and measured once after them.

//
// HELD-OUT-3 (added 2026-12-05 22:31 UTC, after held-out-2 was measured and before the
// confidence calibration was revised): held-out and held-out-2 then served as validation sets
// (their aggregate reliability per kind of evidence was read, never single failures); this set
// is the test of that revision, measured once after it.

//
// HELD-OUT-4 (added 2026-12-06 02:20 UTC, before the confidence rework of that day): held-out-3's
// single failures had been read by then (it became a validation set like the others), so this
// fresh set — layouts, wordings, money and date styles and IDs in none of the sets above — is the
// test of that rework, measured once after it. From then on held-out, held-out-2 and held-out-3
// are validation sets whose single failures may be read (bench/extraction --variety --mistakes);
// held-out-4 shows only its headline figures.

//
// HELD-OUT-5 (added 2026-12-06 05:25 UTC, before any rule change of that day): held-out-4's
// headline had been measured once; the next round of rules reads held-out-4's single failures
// (it becomes a validation set), so this set — a two-column invoice with dot leaders, a paper
// claim form whose captions sit UNDER the lines they caption and whose claim type is a ticked
// box, new wordings, money and date styles and IDs — is the test of that round, measured once
// after it. Only its headline figures are shown.

//
// HELD-OUT-6 (added 2026-12-06 05:58 UTC, right after held-out-5's one measurement and before any
// of its failures was read): held-out-5 becomes a validation set for the next round of rules
// (captions under values, dot leaders); this set — a till-receipt invoice in monospace and a
// claim form as header-row tables, new wordings, money, dates and IDs — is that round's test.
// Honest limit, as above and sharper: the held-out-6 wordings were written by the person who then
// wrote that round's rules. No held-out-6 wording was added to the vocabulary; the round's number
// labels are spelled from head words ("Police" → "Police n°"), and its head words were taken from
// the validation sets only (held-out-5's "Faktura" and "Requisition" were added once held-out-5 had
// become a validation set; held-out-6's "Bill number", "Abrechnungsnummer", "Référence" were not).

//
// HELD-OUT-7 (added 2026-12-06 08:25 UTC, before any rule change of that session and before any
// held-out-6 failure was read): held-out-6 had been measured once (its headline only); the next
// round of rules reads held-out-6's single failures (it becomes a validation set), so this set —
// a statement with a tear-off remittance slip (the supplier named only in the slip, under a
// "remit to" kind of label, and in the footer; metadata labels right-aligned against their values)
// and a claim questionnaire (numbered questions, each answer boxed under its question, the kind of
// claim as radio buttons), new wordings, money, dates and IDs — is that round's test, measured
// once after it. The same honest limit: its wordings were written by the person who then writes
// the rules; none of them goes into the vocabulary. Some of them are common wordings the
// vocabulary already held ("Pay by", "Zahlbar bis", "Net à payer"), as on real documents, where
// familiar and unfamiliar labels mix; the rest it lacks ("Document no.", "Remit to", "Beleg-Nr."
// as an invoice number is spelled from a head word it has, "Certificate number", "Cover section").

//
// HELD-OUT-8 (added 2026-12-06 09:50 UTC, right after held-out-7's one measurement and before any
// of its failures was read): held-out-7 becomes a validation set for the next round (six wrong
// values were accepted on it); this set — an invoice with a VAT-rate column and a zero shipping
// line among the totals, a claim sent as a letter (sender block, a letter date beside the date of
// the event, the facts as a short key/value block inside the body) — is that round's test.

//
// HELD-OUT-9 (added 2026-12-06 09:55 UTC, right after held-out-8's one measurement — 12 wrong values
// accepted — and before any of its failures was read): held-out-8 becomes a validation set; this
// set — an invoice printed from a supplier portal (navigation, breadcrumbs, each label on its own
// line over its value, a print date and page number in the footer) and a claim form with
// bracketed tick boxes ("[X] …") and labels in a fixed-width column — is that round's test.

// HELD-OUT-10 (added 2026-12-06 11:40 UTC, before any of held-out-9's failures was read — it was
// measured once, 2 wrong values accepted): held-out-9 becomes a validation set; this set — a
// typewritten invoice whose labels run into their values along dot leaders, the supplier top
// right over a VAT registration number, bank details (IBAN, BIC, a payment reference) in the
// footer, and a claim form in capitals with one character per box (comb fields) for the cover
// number, the phone and the date, the kind of claim ticked in a column of its own — is that
// round's test.

// HELD-OUT-11 (added 2026-12-06 16:00 UTC, while held-out-10's one measurement was running and
// before any of its failures was read): held-out-10 becomes a validation set; this set — an
// invoice in the German business-letter manner (a small return-address line over the customer,
// the metadata as a row of column headings with their values in the row beneath, a customer
// number beside the invoice number, an article-number column, a company register and bank line
// in a three-column footer) and a claim that arrives as a printed e-mail (From / Sent / To /
// Subject headers, the facts in running sentences, the phone in the signature) — is that round's
// test. Its US dates (03-05-2026) can be read either way when the day is 12 or less.
// Honest limit, as before: the round's rules came from held-out-9's and held-out-10's failures, and
// some of the wordings they added are wordings held-out-11 prints too — "Bruttobetrag" (held-out-9's
// German total) is held-out-11's German total, and several held-out-11 labels were in the vocabulary
// already ("Re.-Nr.", "Nettobetrag", "Total HT", "Net total"), as on real documents. None of
// held-out-11's own wordings was added because it prints them.
// Measured once on 2026-12-06 (held-out-10 at 16:30 UTC: 53.3 % of fields right, 9 wrong values
// accepted) — see bench/results/extraction-variety.json.

// HELD-OUT-12 (added 2026-12-06 18:55 UTC, before any of held-out-11's failures was read — it was
// measured once, 19 wrong values accepted): held-out-11 becomes a validation set; this set — an
// invoice whose number and date stand in a subject line ("Invoice no. … dated …"), the order as a
// reference sentence, the totals as a row of headings over a row of amounts, the due date in a
// payment-terms sentence; and a claim printed from an insurer's web form (site navigation, "*"
// required markers, each answer in an input box right of its label, the kind of loss as a select
// box, a "printed on" date in the footer) — is that round's test. Its "kr" amounts do not say
// which krone (SEK is the truth): a reader that auto-accepts a currency for them is guessing.
// Honest limit, as before: its wordings were written by the person who writes the rules; none of
// them goes into the vocabulary because held-out-12 prints them.
// Held-out-11's failures were then read (19:05 UTC) and it became a validation set: that round's
// rules (dash dates in a proven order, "PO 123" capped, spelled-out letterhead names, "$ CA",
// codes against amounts, numbers mentioned in running text) came from it; measured once on
// held-out-12 afterwards — see bench/results/extraction-variety.json.

// HELD-OUT-13 (added 2026-12-06 22:20 UTC, before any of held-out-12's failures was read — it was
// measured once, 6 wrong values accepted): held-out-12 becomes a validation set; this set — an
// invoice as a utility-style account statement (an account number beside the bill number, the
// amount due and its date in a panel at the top, a previous balance and a payment received before
// the new charges, a tear-off payment slip repeating the account, the bill number and the total
// beside an empty "amount enclosed" box) and a claim taken down by phone and printed from a
// call-centre system (the date of the call, the agent, the policy holder's "customer since" date,
// an earlier claim on the same policy with its own date and amount paid, the call notes) — is that
// round's test. Its dates include d/m/yyyy without leading zeros ("5/3/2026"), which reads either
// way when the day is 12 or less, and its distractors (other dates, other amounts, other numbers)
// are there to see whether a reader takes them with confidence.
// Honest limit, as before: its wordings were written by the person who writes the rules; none of
// them goes into the vocabulary because held-out-13 prints them.

// HELD-OUT-14 (added 2026-12-07 01:40 UTC, before any of held-out-13's failures was read — it was
// measured once, 0 wrong values accepted of 109): held-out-13 becomes a validation set; this set —
// a freight forwarder's invoice (the carrier's name only in a logo block and the footer, a shipper
// and a consignee block that both name other companies, the metadata in one line divided by bars,
// a shipment line with its own date, and the total repeated in another currency at an exchange
// rate) and a claim form of numbered questions whose answers stand in a second column, with a
// repair estimate whose total, less the excess, is the amount claimed — is that round's test. Its
// amounts include rupees in Indian grouping (₹1,23,456.78, outside the schema's currency list)
// and "$1,234.56 USD"; its dates include m/d/yy (03/05/26), which reads either way.
// Honest limit, as before: its wordings were written by the person who writes the rules; none of
// them goes into the vocabulary because held-out-14 prints them.
// Held-out-13's failures were then read (2026-12-07 01:50 UTC) and it became a validation set: that
// round's rules (line items the arithmetic proves over columns that do not add up, no heading in
// much larger type as the label of the line under it, a letterhead over an address whose first
// line holds no number, a currency all marks of a scan agree on) came from it; held-out-14 was
// measured once afterwards (02:39 UTC) — see bench/results/extraction-variety.json.

// HELD-OUT-15 (added 2026-12-07 03:00 UTC, before any of held-out-14's failures was read — it was
// measured once, 4 wrong values accepted of 97): held-out-14 becomes a validation set for the next
// round; this set — an invoice whose supplier and details stand in a coloured sidebar (labels over
// values), the items with a discount column, and a broker's claim submission (the broker's
// letterhead with its own reference and date, an account handler's name beside the insured's, the
// key facts with right-aligned labels and a colon column, an excess beside the reserve requested) —
// is that round's test. Its amounts include koruna ("1 234,56 Kč", outside the schema's list) and
// "SFr."; its dates include y.m.d. with a closing dot and d-m-yyyy without leading zeros.
// Honest limit, as before: its wordings were written by the person who writes the rules; none of
// them goes into the vocabulary because held-out-15 prints them.

// HELD-OUT-16 (added 2026-12-07, before any of held-out-15's failures was read; written without
// running the reader on held-out-15 or on this set): held-out-15 becomes a validation set for the next
// round; this set is that round's test. A utility / telecom bill — an account number, a billing
// period and an account summary (the previous balance, a payment received printed negative, the
// total of current charges, the amount due) above the charges, and a tear-off payment slip whose
// barcode caption is the ONLY place the bill's number is printed; and an expense reimbursement
// claim listing several receipts (each with its own date, payee and amount) that add up to the
// total claimed, a declaration dated after the event. Its amounts include forint ("1 234,56 Ft")
// and rand ("R 1 234.56"), both outside the schema's list, and Norwegian "kr 1 234,56" with a
// trailing minus on negative amounts ("kr 1 234,56-"); its dates include Roman-numeral months
// ("5.III.2024"), "5 Mar '24" and German "den 5. März 2024".
// Honest limit, as before: its wordings were written by the person who writes the rules; none of
// them goes into the vocabulary because held-out-16 prints them.
// Held-out-15's failures were then read (2026-12-07 08:00–09:10 UTC) and it became a validation set:
// that round's rules (a sidebar's label sharing a row with a line item, an amount that sums the run
// above it, pale text on a dark panel of a scan inverted before OCR, a colon column between labels and
// values, a scanned label with two long words run together, no sum of money for a number) came from
// it. Held-out-16 was then measured once (09:29–09:42 UTC): 52.1 % of required fields right, 26.0 %
// auto-accepted, 98.7 % of those right (1 wrong) — bench/results/extraction-variety-2026-12-07-held-out-16.txt.

// HELD-OUT-17 (added 2026-12-07 08:15 UTC, while held-out-16 waits for its one measurement and
// before any of held-out-16's (or held-out-15's) failures was read; written by a helper who did not
// read the reader's rules for it, and never run through the reader): the set for the round after
// held-out-16's. Two invoices and a claim form: a SELF-BILLING invoice, drawn up by the customer on
// its supplier's behalf, so the letterhead is the customer's and the supplier (the vendor) stands
// only in a "supplier" block with its VAT number and its account in the customer's ledger, a
// remittance advice under the totals (a settlement discount printed negative in parentheses, the
// amount remitted); an invoice printed from an ERP on a short page length, so one sheet holds
// "page 1 of 2" and "page 2 of 2" — the header repeated, a carried-forward subtotal at the foot of
// the first part and brought forward at the head of the second, the totals only at the end; and a
// motor claim form with tick boxes (vehicle use, who was driving, police), the vehicle's
// registration, a third party's name, registration, insurer and policy number, and the policy
// excess printed in parentheses beside the sum claimed. A fourth language, Italian, prints a
// quarter of the documents (no reader vocabulary has it). Its amounts include Romanian lei
// ("1.234,56 lei") and Singapore dollars ("S$1,234.56"), both outside the schema's currency list,
// and negatives in parentheses ("(£12.34)"); its dates include d/m/yy without leading zeros
// ("5/3/24"), ERP "05MAR24", German "5. Mrz 2024" and Italian "5 marzo 2024".
// TEST_SET stays held-out-16 until it has been measured; bench/extraction does not run a set added
// after the test set (bench/variety-sets.ts), so held-out-17 is neither read nor watched before its turn.

// Held-out-16's failures were read next (2026-12-07 10:50–11:45 UTC; it became a validation set): dates with
// the month in Roman numerals, and on a scan of unpadded dates a month read as 1 or 11 (the Roman I and II)
// sent to a person; a typographic apostrophe in a label; membership numbers, member names, event dates and
// totals claimed; a table's closing row with its sum far right; a box edge read as a bracket; "-ID" compounds.
// Held-out-17 was then measured once (11:50–12:14 UTC): 70.6 % of required fields right, 35.3 % auto-accepted,
// 82.1 % of those right (19 wrong) — bench/results/extraction-variety-2026-12-07-held-out-17.txt. Its failures
// were read at once (it is now a validation set): "PO Box" taken for a purchase order's label (9), the sum
// carried and brought forward between two printed pages taken for an item (6), the other driver's name taken
// for the claimant (2), "P/0" read by OCR (1). Held-out-18 had been written before any of this was read; note
// that its Roman-numeral months ("05-III-2024") are a style held-out-16 already had, which this round reads.

// HELD-OUT-18 (added 2026-12-07 11:10 UTC, while held-out-17 waits for its one measurement and before
// any of held-out-17's failures was read; written by a helper who did not read the reader's rules
// for it, and never run through the reader): the set for the round after held-out-17's. Two invoices
// and a claim form: a design studio's FEE INVOICE in two columns — a narrow left column where each
// label stands in small caps over its value (the issuer with its address and VAT number, the client,
// the number, both dates, the order, the payment terms), the work performed and the totals in the
// wide right column, the issuer's name otherwise only as a letter-spaced wordmark, bank details in
// the footer; an invoice RECEIVED BY FAX — the fax machine's transmission line on top (its own date
// and time, fax numbers, the page count), an attention line and a cover note, an ordinary office
// invoice under them, and the receiver's "received" stamp with its own date; as a scan it is also
// thresholded to black and white, slightly squashed, with streaks across it (as a PDF it keeps its
// text); and a claim form FILLED IN BY HAND — every answer in a script hand (Z003) in blue ink on
// the form's ruled lines, a little askew, the kind of cover ringed among the printed options, on a
// third of the forms the date of the event written wrong, struck through and written again beside
// it, the account of the loss over two lines, signed and dated days later. A fifth language,
// Spanish, prints a quarter of the documents (no reader vocabulary has it), with new English,
// German and French wordings ("Invoice serial no.", "Laufende Rechnungsnr.", "N° de la note").
// Its amounts include Danish "kr. 1.234,56", Brazilian reais "R$ 1.234,56" (outside the schema's
// currency list) and euros the Spanish way, with no thousands separator in a four-digit amount
// ("1234,56 €", but "12.345,67 €"); its dates include Roman-numeral months between dashes
// ("05-III-2024"), "5. 3. 2024", Spanish "5 de marzo de 2024" and "05-mar-2024", "5th Mar 2024"
// and French "05 mars 2024"; its IDs have spaces and slashes ("FV 123 456 78", "R/1234/56789/01",
// an order number "123 456 789"). Every truth value is printed in its page (checked from the HTML
// of 500 documents, 4859 values, and in the text layer of 17 generated PDFs); the 18 earlier sets
// still generate the same documents (HTML, truth and random stream of all 18 compared for three
// seeds; design, held-out-5, held-out-12 and held-out-17 generated and compared file by file, their
// PDFs differing only in Chromium's creation timestamps).
// TEST_SET stays held-out-17 until it has been measured; bench/extraction does not run a set added
// after the test set (bench/variety-sets.ts), so held-out-18 is neither read nor watched before its turn.
// Held-out-18 was then measured once with the round's final code (2026-12-07 12:45–13:06 UTC): 46.9 % of
// required fields right, 25.0 % auto-accepted, 81.3 % of those right (14 wrong) —
// bench/results/extraction-variety-2026-12-07-held-out-18.txt. It is TEST_SET; none of its failures has been
// read. The next round writes held-out-19 before reading them.

// HELD-OUT-19 (added 2026-12-07 14:50 UTC, while held-out-18 is the test set and before any of its failures was
// read; written by a helper who did not read the reader's code, rules or results, and never run through the
// reader): the set for the round after held-out-18's. Two invoices and a claim: an E-INVOICE AS A VIEWER PRINTS IT
// (EN 16931) — the viewer's title bar with the XML file's name and its tabs, every value in a small box under its
// semantic label and term code ("BT-1 Invoice ID"), long labels cut off by their box as viewers do, the lines as
// rows of boxes instead of a table, a paid amount of zero beside the amount due, a buyer reference (Leitweg-ID
// style) and the seller's VAT identifier among the IDs, the currency as a code, the date it was rendered in the
// footer, and a large diagonal "COPY" / "KOPIE" / "COPIE" printed across the text; a hotel's GUEST FOLIO billed to
// a company — the house named over "conference & guest house", the guest, room, arrival and departure dates and a
// reservation number beside the invoice's own number and date, charges posted with their own dates in a charges
// column beside a credits column whose first row is an advance deposit printed as a credit, then net, VAT and
// total, the deposit deducted again and a balance due that is NOT the total, the due date in a city-ledger note;
// and a claim REPORTED THROUGH AN INSURER'S CHAT ASSISTANT and printed — the conversation's own start date and a
// claim reference of its own, the assistant's questions left and the customer's answers right, every answer typed
// in a sentence ("it's 03.892.004-9", "on 03/06/2023", "The repair quote I got says HK$4,302.55 in total"), the
// kind of claim as quick-reply buttons with the chosen one filled, the policy excess named by the assistant (an
// amount that is not the claim), a summary card with three of the facts under labels, a print date in the footer.
// As scans (half of the documents) all three also carry a new defect: a dark shadow along one side edge where the
// page did not lie flat on the glass, and a fold crease across the page. A sixth language, Dutch, prints a quarter
// of the documents (no reader vocabulary has it), beside new American-English, German and French wordings
// ("Billed by", "Remit payment by", "Rechnungskennung", "Zahlbar spätestens am", "Identifiant de la facture").
// Its amounts include Hong Kong dollars with credits marked "HK$1,234.56 CR", Mexican pesos as "$1,234.56 MXN",
// rupees as "Rs. 1,23,456.78" with credits "Cr" (all three outside the schema's currency list), and Dutch euros
// with a deduction written "-/- € 1.234,56"; its dates include month-first "03/05/2024" (printed only by the
// American-worded English documents, where it means 5 March), "Tuesday, March 5, 2024", Dutch "5 maart 2024" and
// "5 mrt. 2024", "05.03.2024." with a closing dot and "2024/3/5"; its IDs have lowercase letters
// ("inv-pw76-4474", "ord_e1co5c49", "hh-ycj-944658"), dots and a modulo-11 check character that may be K
// ("449.298.530-4", "03.892.004-9"). Every truth value is printed in its page (checked from the HTML of 550
// documents, 5598 values, and in the text layer of the 17 PDFs generated with seed 7); the 19 earlier sets still
// generate the same documents (HTML, truth, the document drawn and the random stream after 60 invoices and 30
// claims, compared between the build before this change and after it for seeds 1, 7 and 42: 5187 compared, none
// differs — formatId's new "@" and "%" appear in no earlier format).
// TEST_SET stayed held-out-18 until held-out-19 was committed; bench/extraction does not run a set added after the
// test set (bench/variety-sets.ts), so held-out-19 was neither read nor watched before its turn.
// Held-out-18's failures were then read (it is a validation set now: 46.9 / 25.0 / 81.3 % as the test, 68.0 / 35.7 /
// 99.1 % after that round, 1 wrong: OCR's capital in "Kitchen" in a handwritten account) and held-out-19 measured once
// with that round's code (2026-12-07 15:24–15:45 UTC, commit 89c7867; two later fixes, 'Nº' read as 'Ne' on a scan and
// an ID's own dot, came after it): 59.8 % of required fields right, 29.3 % of fields auto-accepted, 90.9 % of those
// right (8 wrong) — bench/results/extraction-variety-2026-12-07-held-out-19.txt. It was TEST_SET until held-out-20 was
// written; its failures were read from 17:35 UTC that evening (it is a validation set now).

// HELD-OUT-20 (added 2026-12-07 17:55 UTC, while held-out-19 was the test set; written by a helper who did not read
// the reader's code, rules, results or any held-out-19 failure — the lead began reading held-out-19's failures at
// 17:35 in another work tree, and nothing of them reached the helper — and never run through the reader): the set
// for the round after held-out-19's. Two invoices and a claim: a CONTRACTOR'S INTERIM PAYMENT APPLICATION (a progress
// invoice for building work) — the contractor over the employer, a project and a contract number, a valuation number
// and the date the work is valued up to beside the invoice's own number and dates, a contract summary (original sum,
// approved variations, revised sum, gross value of work done to date, previous certificates deducted and printed
// negative, this valuation = the net), a schedule of work whose "this period" column holds the invoice's lines between
// contract-value, previous, to-date and %-done columns, net, tax and total, then retention withheld and an amount due
// this certificate that is NOT the total (in English also in words), and a rubber stamp certifying it for payment
// across the signature lines; an ONLINE MARKETPLACE ORDER INVOICE issued by the seller — the platform's name the
// biggest on the page, the seller (the vendor) only in "Sold by" lines, its VAT number and a notice that the seller
// issues the invoice, the platform's order number (3-7-7 digits) and order date beside the invoice number, date and the
// buyer's PO, "Sold by … · Fulfilled by …" under every line, a VAT-rate column, a shipping charge cancelled by a
// shipping promotion printed negative, and under a dashed cut line a packing slip with the order's barcode and the
// items without prices; and a TRAVEL-INSURANCE CLAIM FORM — the trip's departure and return dates, destination, flight
// number and booking reference around the date of the loss, the cover section ticked, what happened, and a table of
// expenses each paid in its own currency (THB, JPY, TRY, MXN, GBP or EUR with a printed rate, the last paid at home)
// converted into the claim's currency, whose total is the sum claimed, the excess named in a note and not deducted.
// A travel form is always a travel claim (the draw retold as a trip gone wrong, as held-out-17's motor form does; no
// extra draw). As scans (half of the documents) all three carry a new defect: two filing holes punched along the left
// edge showing the scanner's lid, a staple's marks and a dog-eared corner. A seventh language, Polish, prints a quarter
// of the documents (no reader vocabulary has it), beside new English ("Supplied by", "Date of supply", "Payment to
// reach us by"), German ("Nummer der Rechnung", "Zahlungseingang bis", "Auftragnehmer") and French ("Facture numéro",
// "Prestataire facturant", "Règlement à recevoir le") wordings. Its amounts: złoty under the code before the amount
// with space grouping "PLN 1 234,56", dollars with a deduction's minus after the digits "USD 1,234.56-", Norwegian
// kroner "1.234,56 kr", shekels "₪1,234.56" (ILS); its dates: ISO with a time of day "2024-03-05T14:30" (any language),
// "05/Mar/2024" and "Tue 2024-03-05" (English), Polish "5 marca 2024" and "05.03.2024 r.", German "Di 05.03.24", French
// "05-mars-2024"; its IDs "FV 595/88/3885", "PA 406-6973/7", "ZAM/3908/mvm", "BPO-75987-01", "421/82/838989/T" and
// "ZZ-0103-5970-97". Every truth value is printed in its page (checked from the HTML of 270 documents, 2762 values,
// and in the text layer of the 17 PDFs generated with seed 7, 175 values); the 20 earlier sets still generate the same
// documents (HTML, truth, the document drawn and the random stream after 60 invoices and 30 claims, compared between
// the build before this change and after it for seeds 1, 7 and 42: 5400 documents and 60 streams, none differs).
// Held-out-20 is TEST_SET for the round that read held-out-19's failures, measured once with that round's code
// (2026-12-07 18:41–18:49 UTC): 57.2 % of required fields right, 29.0 % of fields auto-accepted, 88.5 % of those right
// (10 wrong) — bench/results/extraction-variety-2026-12-07-held-out-20.txt; held-out-19 as validation in the same run
// 83.5 / 41.7 / 100 % (was 59.8 / 29.3 / 90.9 as the test). Only held-out-20's headline figures are shown; the next
// round writes held-out-21 before reading its failures.

// HELD-OUT-21 (added 2026-12-07 22:00 UTC, while held-out-20 is the test set and before any of its failures was read;
// written by a helper who did not read the reader's code, rules or results, and never run through the reader): the set
// for the round after held-out-20's. Two invoices and a claim, chosen as kinds no earlier set has (a utility bill and a
// freight invoice exist since held-out-16 and held-out-14): a VEHICLE WORKSHOP REPAIR INVOICE — the garage over the
// fleet customer, a job card number, the vehicle's registration, VIN and odometer reading, the dates the vehicle came
// in and was ready beside the invoice's own number and dates, the lines split into a labour section (hours × rate per
// hour) and a parts section (a part number before each), each with its own sub-total, net, tax and total, then a
// deposit paid on booking printed negative and the balance to pay on collection (NOT the total), and a
// "next service due" date and mileage under it; a PRIVATE CLINIC'S PATIENT INVOICE addressed to the insurer for direct
// settlement — the clinic's provider number, the patient, the patient's date of birth and member policy number (an ID
// and a date that are not the invoice's), admission and discharge dates, the insurer's authorisation as the order
// number, the lines as services each with its own date of service and a tariff code, and under the totals the excess
// the patient paid at discharge, named in a note and not deducted; and a HOME CONTENTS CLAIM FORM with a schedule of
// items — the insured address and the contents sum insured (an amount far above the claim), the cause ticked (escape of
// water, storm, theft), a crime reference and the date reported to the police when it is a theft, and a schedule whose
// rows each give the item, where and when it was bought (dates years before the loss), the price paid and the
// replacement value claimed; the replacement values add up to the total claimed. A contents form is always a home claim
// (the draw retold, as held-out-20's travel form does; no extra draw). Dental and veterinary claims were considered and
// left out: the claim type is Auto, Home or Travel, and neither is one of them. As scans (half of the documents) all
// three carry a new defect: the sheet was folded in three for an envelope, so two creases with their shadows cross it,
// and a coffee cup left a ring. An eighth language, Portuguese, prints a quarter of the documents (68 of 270; new to
// the corpus), beside new English ("Sales invoice no.", "Invoiced on", "Kindly remit by", "Invoicing company"), German
// ("Rechnungsbeleg Nr.", "Datum der Ausstellung", "Bitte begleichen bis", "Rechnung erstellt
// durch") and French ("Facture — n° d’ordre", "Facturé le", "Échéance de paiement fixée au", "Établissement émetteur")
// wordings. Its amounts: euros with the word after them "1.234,56 Euro", renminbi under "RMB" (not its ISO code CNY)
// "RMB 1,234.56", Cape Verde escudos with the cifrão as the decimal mark "1.234$56", dollars with "US$" after the
// amount "1,234.56 US$"; its dates: Portuguese "5 de março de 2024" and "5 mar. 2024", English "Tue 5th March 2024",
// numbers parted by spaces "05 03 2024" (any language), German with the calendar week "05.03.2024 (KW 10)", French with
// spaced slashes "05 / 03 / 2024"; its IDs "FT OF24/6786", "JC175403.92", "NE 1472/11", "REQ:922917", "HC-990.336/98"
// and "3328-rv-6030". Every truth value is printed in its page (checked from the HTML of 270 documents, 2717 values,
// and in the text layer of the 17 PDFs generated with seed 7, 179 values); the 21 earlier sets still generate the same
// documents (HTML, truth, the document drawn and the random stream after 60 invoices and 30 claims, compared between
// the build before this change and after it for seeds 1, 7 and 42: 5670 documents and 63 streams, none differs).
// TEST_SET stays held-out-20; bench/extraction does not run a set added after the test set (bench/variety-sets.ts), so
// held-out-21 is neither read nor watched before its turn.
// Held-out-21 is TEST_SET for the round that read held-out-20's failures, measured once with that round's code
// (2026-12-07 22:40–22:55 UTC): 44.9 % of required fields right, 24.0 % of fields auto-accepted, 68.1 % of those right
// (23 wrong) — bench/results/extraction-variety-2026-12-07-held-out-21.txt; held-out-20 as validation in the same run
// 66.0 / 31.0 / 100 % (was 57.2 / 29.0 / 88.5 as the test). Only held-out-21's headline figures are shown; the next
// round writes held-out-22 before reading its failures.

export type CorpusSet = 'design' | 'held-out' | 'held-out-2' | 'held-out-3' | 'held-out-4' | 'held-out-5' | 'held-out-6' | 'held-out-7' | 'held-out-8' | 'held-out-9' | 'held-out-10' | 'held-out-11' | 'held-out-12' | 'held-out-13' | 'held-out-14' | 'held-out-15' | 'held-out-16' | 'held-out-17' | 'held-out-18' | 'held-out-19' | 'held-out-20' | 'held-out-21';

/** Invoice and claim layouts of each set (bundled ones are design by construction). */
export const SPLIT = {
  design: {
    invoiceLayouts: ['classic', 'modern', 'compact', 'grid'],
    claimLayouts: ['boxed', 'stacked', 'form'],
    vocabularies: ['en-A', 'de-A'],
    money: ['usd', 'eur-de', 'eur-code'],
    dates: ['long-en', 'dotted', 'iso', 'long-de'],
    invoiceNumbers: ['INV-######', 'RE-2024-####'],
    orderNumbers: ['PO-#####', 'BE-######'],
    policyNumbers: ['POL-######', 'VS-########'],
  },
  'held-out': {
    invoiceLayouts: ['letter', 'inline'],
    claimLayouts: ['sheet'],
    vocabularies: ['en-B', 'de-B', 'fr-A'],
    money: ['gbp', 'eur-fr', 'eur-plain', 'chf'],
    dates: ['slash-dmy', 'long-fr', 'dash-mon', 'ordinal-en'],
    invoiceNumbers: ['F2024/#####', '####-INV-###', 'FA######'],
    orderNumbers: ['4500######', 'CMD-####'],
    policyNumbers: ['POL-########', 'AB/#######'],
  },
  'held-out-2': {
    invoiceLayouts: ['ledger'],
    claimLayouts: ['panel'],
    vocabularies: ['en-C', 'fr-B', 'de-C'],
    money: ['usd-suffix', 'eur-prefix', 'chf-typographic'],
    dates: ['us-slash', 'short-dotted', 'abbr-en'],
    invoiceNumbers: ['2024/INV/####', 'INV#######'],
    orderNumbers: ['P.O. ##-####', 'PO#######'],
    policyNumbers: ['CH-###.###.###', 'P ########'],
  },
  'held-out-3': {
    invoiceLayouts: ['strip'],
    claimLayouts: ['memo'],
    vocabularies: ['en-D', 'de-D', 'fr-C'],
    money: ['cad-fr', 'eur-at', 'aud'],
    dates: ['iso-slash', 'dmy-dash', 'day-mon-en'],
    invoiceNumbers: ['TI-00####', 'R#####/24'],
    orderNumbers: ['BNR-#####', 'PR####'],
    policyNumbers: ['KV-####-####', 'H#########'],
  },
  'held-out-4': {
    invoiceLayouts: ['banner'],
    claimLayouts: ['tiles'],
    vocabularies: ['en-E', 'de-E', 'fr-D'],
    money: ['gbp-code', 'usd-us', 'eur-suffix-code'],
    dates: ['dmy-long-en', 'dotted-2y', 'weekday-fr'],
    invoiceNumbers: ['IN-####-##', 'D######'],
    orderNumbers: ['ORD/####', 'B-######'],
    policyNumbers: ['PL.###.###', 'V-##-#####'],
  },
  'held-out-5': {
    invoiceLayouts: ['columns'],
    claimLayouts: ['lined'],
    vocabularies: ['en-F', 'de-F', 'fr-E'],
    money: ['cad-en', 'chf-suffix', 'eur-ie'],
    dates: ['weekday-en', 'de-abbr', 'dmy-slash-2y', 'dmy-dot-space'],
    invoiceNumbers: ['INV/24/#####', '#######-01'],
    orderNumbers: ['PUR-####-##', 'REQ#####'],
    policyNumbers: ['CRT/######', '##-###-####'],
  },
  'held-out-6': {
    invoiceLayouts: ['receipt'],
    claimLayouts: ['headers'],
    vocabularies: ['en-G', 'de-G', 'fr-F'],
    money: ['aud-code', 'gbp-suffix', 'eur-space-prefix'],
    dates: ['ymd-dots', 'mon-dash', 'weekday-de', 'fr-abbr'],
    invoiceNumbers: ['INV.####.###', '24-#####'],
    orderNumbers: ['OR#####', 'PO/##/####'],
    policyNumbers: ['P/####/####', 'CL########'],
  },
  'held-out-7': {
    invoiceLayouts: ['remit'],
    claimLayouts: ['questions'],
    vocabularies: ['en-H', 'de-H', 'fr-G'],
    money: ['usd-code', 'eur-fr-code', 'gbp-space'],
    dates: ['mon-upper', 'd-mon-yy', 'de-long-2d', 'fr-le'],
    invoiceNumbers: ['SI-####/##', '2024-####-A'],
    orderNumbers: ['PO.####.##', 'BST-#####'],
    policyNumbers: ['GP-#######-0#', '###.###-##'],
  },
  'held-out-8': {
    invoiceLayouts: ['vatcol'],
    claimLayouts: ['correspondence'],
    vocabularies: ['en-I', 'de-I', 'fr-H'],
    money: ['cad-code-suffix', 'eur-de-prefix', 'aud-suffix'],
    dates: ['mon-upper-dash', 'de-weekday-abbr', 'fr-slash-le'],
    invoiceNumbers: ['#####/B', 'RG-###-####'],
    orderNumbers: ['PO ######', 'AUF-####/##'],
    policyNumbers: ['H-###-###-###', 'SV#######-A'],
  },
  'held-out-9': {
    invoiceLayouts: ['portal'],
    claimLayouts: ['bracket'],
    vocabularies: ['en-J', 'de-J', 'fr-I'],
    money: ['cad-space', 'aud-space-prefix', 'eur-code-fr'],
    dates: ['mdy-ordinal', 'fr-weekday-abbr', 'de-long-weekday-abbr'],
    invoiceNumbers: ['V-####-##-##', '##/##/#####'],
    orderNumbers: ['PR/#####', 'OP-##-###'],
    policyNumbers: ['KFZ-#######', 'PN ####-####'],
  },
  'held-out-10': {
    invoiceLayouts: ['leaders'],
    claimLayouts: ['comb'],
    vocabularies: ['en-K', 'de-K', 'fr-J'],
    money: ['usd-space', 'eur-tight', 'chf-code-comma'],
    dates: ['mon-comma-d', 'dmy-dot-2d-space', 'fr-long-weekday'],
    invoiceNumbers: ['F######K', 'IV##-####'],
    orderNumbers: ['PO-##/####', 'KA######'],
    policyNumbers: ['RC#########', 'MV-###-##-##'],
  },
  'held-out-11': {
    invoiceLayouts: ['ribbon'],
    claimLayouts: ['email'],
    vocabularies: ['en-L', 'de-L', 'fr-K'],
    money: ['eur-fr-nnbsp', 'cad-fr-ca', 'gbp-tight-code'],
    dates: ['mdy-dash', 'de-abbr-nodot', 'fr-abbr-upper'],
    invoiceNumbers: ['INV/##/#####', 'R-#####-##'],
    orderNumbers: ['BST####-##', 'PO ########'],
    policyNumbers: ['P/##/######', 'HV########'],
  },
  'held-out-12': {
    invoiceLayouts: ['subject'],
    claimLayouts: ['webform'],
    vocabularies: ['en-M', 'de-M', 'fr-L'],
    money: ['sek-kr', 'dkk-code', 'usd-trailing'],
    dates: ['dmy-dash-2y', 'ymd-compact', 'en-of-month', 'de-dot-2y-nolead', 'fr-short-2y'],
    invoiceNumbers: ['E########', 'FAC-##-#####'],
    orderNumbers: ['#########', 'BO-#####'],
    policyNumbers: ['HH/####/##', 'M#######-X'],
  },
  'held-out-13': {
    invoiceLayouts: ['statement'],
    claimLayouts: ['callnote'],
    vocabularies: ['en-N', 'de-N', 'fr-M'],
    money: ['nzd-prefix', 'pln-zl', 'eur-si'],
    dates: ['dmy-slash-1d', 'ymd-mon', 'mon-upper-2y', 'en-wd-abbr', 'de-upper', 'fr-capital'],
    invoiceNumbers: ['ST-####-####', '######.##'],
    orderNumbers: ['RQ-#######', '##-##-####'],
    policyNumbers: ['HP#####/##', 'C-######-K'],
  },
  'held-out-14': {
    invoiceLayouts: ['freight'],
    claimLayouts: ['estimate'],
    vocabularies: ['en-O', 'de-O', 'fr-N'],
    money: ['usd-both', 'inr-lakh', 'gbp-both'],
    dates: ['mdy-slash-2y', 'mon-d-nocomma', 'de-wd-dotted', 'fr-wd-slash'],
    invoiceNumbers: ['FRT-###-####', '##.####.##'],
    orderNumbers: ['SO ##-####', 'BN/#####'],
    policyNumbers: ['PX ### ### ###', 'MOT-#####-##'],
  },
  'held-out-15': {
    invoiceLayouts: ['sidebar'],
    claimLayouts: ['broker'],
    vocabularies: ['en-P', 'de-P', 'fr-O'],
    money: ['chf-sfr', 'czk-kc', 'eur-glued-code'],
    dates: ['ymd-dot-trailing', 'dmy-dash-1d', 'de-mon-dot', 'en-d-mon-comma'],
    invoiceNumbers: ['RN ####/##', 'SB######'],
    orderNumbers: ['LPO/####', 'CO-###-###'],
    policyNumbers: ['GH-##-#####-#', 'T########Z'],
  },
  'held-out-16': {
    invoiceLayouts: ['utility'],
    claimLayouts: ['expenses'],
    vocabularies: ['en-Q', 'de-Q', 'fr-P'],
    money: ['huf-ft', 'zar-r', 'nok-trailing-minus'],
    dates: ['dmy-roman', 'en-d-mon-apos-yy', 'de-den-long'],
    invoiceNumbers: ['7##########', 'BL/####/###'],
    orderNumbers: ['WO-####-###', 'EB#####'],
    policyNumbers: ['TRV/##-######', 'MBR ####-##-#'],
  },
  'held-out-17': {
    invoiceLayouts: ['selfbill', 'fanfold'],
    claimLayouts: ['motor'],
    vocabularies: ['en-R', 'de-R', 'fr-Q', 'it-A'],
    money: ['gbp-parens', 'ron-lei', 'sgd-parens'],
    dates: ['dmy-slash-2y-nolead', 'dmony-compact', 'de-mrz', 'it-long'],
    invoiceNumbers: ['SBI/##/#####', '009#######'],
    orderNumbers: ['P/O ######', 'EK-##-#####'],
    policyNumbers: ['MC-######-##', 'A#######/##'],
  },
  'held-out-18': {
    invoiceLayouts: ['smallcaps', 'faxed'],
    claimLayouts: ['handwritten'],
    vocabularies: ['en-S', 'de-S', 'fr-R', 'es-A'],
    money: ['dkk-kr-dot', 'brl-rs', 'eur-es'],
    dates: ['dmy-roman-dash', 'dmy-dot-space-nolead', 'es-long', 'es-dash-abbr', 'en-d-ordinal-mon', 'fr-2d-long'],
    invoiceNumbers: ['A ##/######', 'FV ### ### ##'],
    orderNumbers: ['PED/######', '### ### ###'],
    policyNumbers: ['PZ ## ### ####', 'R/####/#####/##'],
  },
  'held-out-19': {
    invoiceLayouts: ['einvoice', 'folio'],
    claimLayouts: ['chat'],
    vocabularies: ['en-T', 'de-T', 'fr-S', 'nl-A'],
    money: ['hkd-cr', 'eur-nl-minus', 'mxn-code', 'inr-rs'],
    dates: ['mdy-slash-4y', 'en-us-weekday', 'nl-long', 'nl-abbr', 'dmy-dot-trailing', 'ymd-slash-nolead'],
    invoiceNumbers: ['###.###.###-%', 'inv-@@##-####'],
    orderNumbers: ['ord_@#@@#@##', '####.###.##'],
    policyNumbers: ['##.###.###-%', 'hh-@@@-######'],
  },
  'held-out-20': {
    invoiceLayouts: ['progress', 'marketplace'],
    claimLayouts: ['travel'],
    vocabularies: ['en-U', 'de-U', 'fr-T', 'pl-A'],
    money: ['pln-code-prefix', 'usd-code-trailing-minus', 'nok-kr-dot-suffix', 'ils-shekel'],
    dates: ['iso-time', 'dmony-slash', 'wd-iso', 'pl-long', 'pl-dot-r', 'de-wd-2y', 'fr-dash-long'],
    invoiceNumbers: ['FV ###/##/####', 'PA ###-####/#'],
    orderNumbers: ['ZAM/####/@@@', 'BPO-#####-##'],
    policyNumbers: ['###/##/######/T', 'ZZ-####-####-##'],
  },
  'held-out-21': {
    invoiceLayouts: ['workshop', 'clinic'],
    claimLayouts: ['inventory'],
    vocabularies: ['en-V', 'de-V', 'fr-U', 'pt-A'],
    money: ['eur-word', 'cny-rmb', 'cve-cifrao', 'usd-us-suffix'],
    dates: ['pt-long', 'pt-abbr', 'en-wd-ordinal', 'dmy-space', 'de-kw', 'fr-spaced-slash'],
    invoiceNumbers: ['FT OF24/####', 'JC######.##'],
    orderNumbers: ['NE ####/##', 'REQ:######'],
    policyNumbers: ['HC-###.###/##', '####-@@-####'],
  },
} as const satisfies Record<CorpusSet, Record<string, readonly string[]>>;

/** Every set, in the order they were added (each set's random stream is seeded by its place here). */
export const CORPUS_SETS = Object.keys(SPLIT) as CorpusSet[];

export type VarietyLayout = (typeof SPLIT)[CorpusSet]['invoiceLayouts' | 'claimLayouts'][number];
export type VocabularyId = (typeof SPLIT)[CorpusSet]['vocabularies'][number];
export type MoneyStyle = (typeof SPLIT)[CorpusSet]['money'][number];
export type DateStyle = (typeof SPLIT)[CorpusSet]['dates'][number];
