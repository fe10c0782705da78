// Finds a word or phrase among OCR'd words: consecutive words on one line whose text matches.
import type { Rect } from './bitmap.js';
import { editDistance } from '../format/edit-distance.js';
import type { OcrWord } from './ocr.js';

export interface TextQuery {
  text: string;
  /** Whole phrase, case-sensitive; otherwise a case-insensitive substring of the words. */
  exact?: boolean | undefined;
  /** Lowest mean OCR confidence (0…1) of the matched words. */
  confidence?: number | undefined;
}

export interface TextMatch {
  rect: Rect;
  text: string;
  confidence: number;
}

export interface TextSearch {
  match?: TextMatch;
  /** The words most like the query, with their similarity 0…1 (for messages when nothing matched). */
  closest?: { text: string; similarity: number; confidence: number };
}

export const DEFAULT_TEXT_CONFIDENCE = 0.5;

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

function similarity(a: string, b: string): number {
  if (!a.length && !b.length) return 1;
  return 1 - editDistance(a, b) / Math.max(a.length, b.length);
}

function union(words: OcrWord[]): Rect {
  const left = Math.min(...words.map((w) => w.box.x));
  const top = Math.min(...words.map((w) => w.box.y));
  const right = Math.max(...words.map((w) => w.box.x + w.box.width));
  const bottom = Math.max(...words.map((w) => w.box.y + w.box.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export function findText(words: readonly OcrWord[], query: TextQuery): TextSearch {
  const { matches, closest } = search(words, query);
  const match = matches.reduce<TextMatch | undefined>((best, found) => (!best || found.confidence > best.confidence ? found : best), undefined);
  return { ...(match ? { match } : {}), ...(closest ? { closest } : {}) };
}

/** Every place the query matches: the best run of each line where it does (for telling whether a text is unique). */
export function findTextAll(words: readonly OcrWord[], query: TextQuery): TextMatch[] & { closest?: TextSearch['closest'] } {
  const { matches, closest } = search(words, query);
  return Object.assign(matches, closest ? { closest } : {});
}

function search(words: readonly OcrWord[], query: TextQuery): { matches: TextMatch[]; closest?: TextSearch['closest'] } {
  const wanted = squash(query.text);
  const size = Math.max(1, wanted.split(' ').length);
  const minConfidence = query.confidence ?? DEFAULT_TEXT_CONFIDENCE;
  const compare = (text: string): string => (query.exact ? text : text.toLowerCase());
  const target = compare(wanted);
  const lines = new Map<number, OcrWord[]>();
  for (const word of words) {
    if (!squash(word.text)) continue;
    lines.set(word.line, [...(lines.get(word.line) ?? []), word]);
  }
  const matches: TextMatch[] = [];
  let closest: TextSearch['closest'];
  for (const line of lines.values()) {
    let match: TextMatch | undefined;
    for (let start = 0; start + size <= line.length; start++) {
      const run = line.slice(start, start + size);
      const text = squash(run.map((w) => w.text).join(' '));
      const confidence = run.reduce((sum, w) => sum + w.confidence, 0) / run.length;
      const seen = compare(text);
      const hit = query.exact ? seen === target || seen.replace(/[^\p{L}\p{N}]+$/u, '') === target : seen.includes(target);
      if (hit && confidence >= minConfidence && (!match || confidence > match.confidence)) {
        match = { rect: union(run), text, confidence };
      }
      const alike = hit ? 1 : similarity(seen, target);
      if (!closest || alike > closest.similarity) closest = { text, similarity: alike, confidence };
    }
    if (match) matches.push(match);
  }
  return { matches, ...(closest ? { closest } : {}) };
}
