// The amounts of an invoice found by their arithmetic, whatever the labels say: a column of
// amounts whose sum is an amount printed below it is the line items and their subtotal; an
// amount below that equals the subtotal plus another is the total, the other the tax. Labels
// in wordings no vocabulary knows cannot hide such a page, and a label that points at the
// wrong number (a rate, a day) is contradicted by it. Sums are compared in cents.
import type { PlacedLine } from './geometry.js';
import { amountsIn } from './values.js';

export interface PlacedAmount {
  value: number;
  text: string;
  line: PlacedLine;
  /** Right edge of the amount on its page, from the left (estimated from its place in the line). */
  right: number;
}

export interface InvoiceArithmetic {
  items: PlacedAmount[];
  subtotal: PlacedAmount;
  /** Only when an amount below the subtotal is the subtotal plus another amount. */
  tax?: PlacedAmount;
  total?: PlacedAmount;
}

const cents = (n: number): number => Math.round(n * 100);

function placedAmounts(lines: PlacedLine[]): PlacedAmount[] {
  return lines.flatMap((line) =>
    amountsIn(line.text)
      .filter((a) => a.value > 0)
      .map((a) => ({ value: a.value, text: a.text, line, right: line.box.x + (line.box.width * a.end) / Math.max(1, line.text.length) })),
  );
}

const below = (a: PlacedAmount, b: PlacedAmount): boolean => a.line.page === b.line.page ? a.line.box.y > b.line.box.y + b.line.box.height / 2 : a.line.page > b.line.page;

/**
 * Whether `column[index]` is the sum of two or more amounts above it in a row: the run right above it, or a run above an
 * equal amount right above it (a sum brought forward under the same sum carried forward).
 */
function sumsRunAbove(column: PlacedAmount[], index: number): boolean {
  const target = cents(column[index]!.value);
  const from = index >= 1 && cents(column[index - 1]!.value) === target ? [index, index - 1] : [index];
  return from.some((end) => {
    let sum = 0;
    for (let k = end - 1; k >= 0; k--) {
      sum += cents(column[k]!.value);
      if (sum === target && end - k >= 2) return true;
      if (sum > target) return false;
    }
    return false;
  });
}

/**
 * The invoice's amounts by arithmetic, or undefined when no column of two or more amounts sums
 * to an amount below it (or when two different columns do: the page does not say which).
 * `labelledRow`: whether a line's row carries a label of a field other than the line items.
 */
export function invoiceArithmetic(lines: PlacedLine[], labelledRow: (line: PlacedLine) => boolean = () => false): InvoiceArithmetic | undefined {
  const amounts = placedAmounts(lines);
  if (amounts.length < 3) return undefined;
  const widest = Math.max(...lines.map((l) => l.box.x + l.box.width));
  const tolerance = Math.max(4, widest * 0.025);
  // Columns: amounts whose right edges line up, top to bottom.
  const columns: PlacedAmount[][] = [];
  for (const a of [...amounts].sort((x, y) => x.line.page - y.line.page || x.line.box.y - y.line.box.y)) {
    const column = columns.find((c) => Math.abs(c[c.length - 1]!.right - a.right) <= tolerance && c[c.length - 1]!.line !== a.line);
    if (column) column.push(a);
    else columns.push([a]);
  }
  const found: InvoiceArithmetic[] = [];
  for (const column of columns) {
    for (let start = 0; start < column.length; start++) {
      // An amount that is the sum of two or more right above it in its column is their subtotal, not a line item.
      if (sumsRunAbove(column, start)) continue;
      let sum = 0;
      const run: PlacedAmount[] = [];
      for (let end = start; end < column.length && end - start < 60; end++) {
        // A sum carried forward at the foot of one page and brought forward at the head of the next (two equal amounts
        // that equal the run so far) is no item: the run goes on after them.
        if (run.length >= 2 && cents(column[end]!.value) === sum && column[end + 1] && cents(column[end + 1]!.value) === sum) {
          end++;
          continue;
        }
        sum += cents(column[end]!.value);
        run.push(column[end]!);
        if (run.length < 2) continue;
        const last = column[end]!;
        // The subtotal: the first amount below the run that equals its sum.
        const subtotal = amounts.find((s) => cents(s.value) === sum && below(s, last));
        if (!subtotal) continue;
        const items = [...run];
        // A line item never sits on a row another field's label names (a subtotal and its tax also "sum" to the total).
        if (items.some((a) => labelledRow(a.line))) continue;
        // Total = subtotal + tax, both below the subtotal (or the tax on the subtotal's row), the nearest such pair.
        let best: { tax: PlacedAmount; total: PlacedAmount } | undefined;
        for (const total of amounts) {
          if (!below(total, subtotal)) continue;
          const tax = amounts.find((t) => t !== subtotal && t !== total && cents(t.value) + sum === cents(total.value) && !below(t, total) && !below(subtotal, t) && t.line !== subtotal.line);
          if (tax && (!best || total.line.box.y < best.total.line.box.y)) best = { tax, total };
        }
        found.push({ items, subtotal, ...(best ?? {}) });
      }
    }
  }
  if (!found.length) return undefined;
  // The longest run wins, then one with a total below it (a subtotal and its tax also "sum" to
  // the total); two different readings still tied leave the page undecided.
  const rank = (r: InvoiceArithmetic): number => r.items.length * 2 + (r.total ? 1 : 0);
  found.sort((a, b) => rank(b) - rank(a));
  const [first, second] = found;
  if (second && rank(second) === rank(first!) && cents(second.subtotal.value) !== cents(first!.subtotal.value)) return undefined;
  return first;
}
