// Turns positioned pieces of text (PDF text items, OCR words) into the lines of a page: pieces
// on one row are joined, and split where a wide gap separates them (a label and its value in
// two table cells, two columns), so each line is one run of text with its own box.
import type { Box, TextLine } from '../extract/types.js';

export interface TextPiece {
  text: string;
  box: Box;
  confidence: number;
}

/** A gap wider than this many text heights starts a new line on the same row. */
const COLUMN_GAP = 1.2;

const bottom = (box: Box): number => box.y + box.height;
const right = (box: Box): number => box.x + box.width;

export function union(boxes: Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, width: Math.max(...boxes.map(right)) - x, height: Math.max(...boxes.map(bottom)) - y };
}

const round = (box: Box): Box => ({ x: Math.round(box.x * 10) / 10, y: Math.round(box.y * 10) / 10, width: Math.round(box.width * 10) / 10, height: Math.round(box.height * 10) / 10 });

/** Groups pieces into rows: a piece joins a row when their vertical middles are close. */
export function rowsOf<T extends { box: Box }>(pieces: T[]): T[][] {
  const sorted = [...pieces].sort((a, b) => a.box.y + a.box.height / 2 - (b.box.y + b.box.height / 2));
  const rows: { middle: number; height: number; pieces: T[] }[] = [];
  for (const piece of sorted) {
    const middle = piece.box.y + piece.box.height / 2;
    const row = rows.find((r) => Math.abs(r.middle - middle) < Math.min(r.height, piece.box.height) / 2);
    if (row) row.pieces.push(piece);
    else rows.push({ middle, height: piece.box.height, pieces: [piece] });
  }
  return rows.map((r) => r.pieces.sort((a, b) => a.box.x - b.box.x));
}

/** Splits one row's pieces (left to right) into lines at wide gaps. */
export function splitAtGaps(pieces: TextPiece[]): TextLine[] {
  const lines: TextLine[] = [];
  let current: TextPiece[] = [];
  const flush = (): void => {
    if (!current.length) return;
    let text = '';
    current.forEach((piece, i) => {
      const previous = current[i - 1];
      // Pieces that touch belong to one word; otherwise a space, unless one is there already.
      const touching = previous && piece.box.x - right(previous.box) < piece.box.height * 0.12;
      text += i === 0 || touching || /\s$/.test(text) ? piece.text : ` ${piece.text}`;
    });
    lines.push({ text: text.replace(/\s+/g, ' ').trim(), box: round(union(current.map((p) => p.box))), confidence: Math.min(...current.map((p) => p.confidence)) });
    current = [];
  };
  for (const piece of pieces) {
    const previous = current[current.length - 1];
    if (previous && piece.box.x - right(previous.box) > COLUMN_GAP * Math.max(piece.box.height, previous.box.height)) flush();
    current.push(piece);
  }
  flush();
  return lines.filter((line) => line.text !== '');
}

/**
 * Joins pieces that touch on one baseline into one: a word in small capitals comes as a big
 * capital and smaller letters ("K" + "RANICH"), whose middles differ by more than a row allows.
 */
function glued(pieces: TextPiece[]): TextPiece[] {
  const out: TextPiece[] = [];
  for (const piece of [...pieces].sort((a, b) => a.box.x - b.box.x)) {
    const height = piece.box.height;
    const word = out.find((w) => Math.abs(bottom(w.box) - bottom(piece.box)) < 0.25 * Math.min(height, w.box.height) && Math.abs(piece.box.x - right(w.box)) < 0.12 * Math.min(height, w.box.height) && w.box.height !== height);
    if (word) {
      word.text += piece.text;
      word.box = union([word.box, piece.box]);
      word.confidence = Math.min(word.confidence, piece.confidence);
    } else out.push({ ...piece, box: { ...piece.box } });
  }
  return out;
}

/** Lines of a page from loose pieces, top to bottom, left to right. */
export function linesFromPieces(pieces: TextPiece[]): TextLine[] {
  return rowsOf(glued(pieces.filter((p) => p.text.trim() !== '' && p.box.height > 0))).flatMap(splitAtGaps);
}

/** The page's plain text: one row per text line, its pieces separated by two spaces. */
export function pageText(lines: TextLine[]): string {
  return rowsOf(lines)
    .map((row) => row.map((line) => line.text).join('  '))
    .join('\n');
}
