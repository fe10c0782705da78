// What an ai.* step's `document` / `input` names, as DocumentText: a read.document result held
// in a variable, a file to read, or plain text.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RpaError } from '../../errors.js';
import type { DocumentText } from '../../extract/types.js';
import type { StepContext } from '../../runner/step-context.js';

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };
const DOCUMENT_TYPES = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.tif', '.tiff']);

function isDocumentText(value: unknown): value is DocumentText {
  return !!value && typeof value === 'object' && typeof (value as DocumentText).text === 'string' && Array.isArray((value as DocumentText).pages);
}

export function textDocument(text: string): DocumentText {
  return { method: 'pdf-text', text, pages: [{ number: 1, width: 0, height: 0, text, lines: [], method: 'pdf-text' }] };
}

/** Text of any value a step may be given: document results keep their text, objects become JSON. */
export function asText(value: unknown): string {
  if (isDocumentText(value)) return value.text;
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? '';
}

/** Reads PDFs and images (the document reader of read.document). */
export type DocumentReader = (file: string, signal: AbortSignal) => Promise<DocumentText>;

export async function documentFrom(value: unknown, ctx: StepContext, read: DocumentReader): Promise<DocumentText> {
  if (isDocumentText(value)) return value;
  if (typeof value !== 'string') throw new RpaError(`step ${ctx.path}: "document" must be a read.document result, a file path or text; got ${value === null ? 'null' : typeof value}`);
  const file = ctx.resolvePath(value);
  const extension = path.extname(value).toLowerCase();
  if (value.length < 1024 && !value.includes('\n') && (DOCUMENT_TYPES.has(extension) || extension === '.txt')) {
    if (!existsSync(file)) throw new RpaError(`step ${ctx.path}: document file ${file} does not exist`);
    if (extension === '.txt') return { ...textDocument(await readFile(file, 'utf8')), file };
    return read(file, ctx.signal);
  }
  return textDocument(value);
}

/**
 * Page images for providers that can look at them: only when the document was read from an
 * image file (a PDF's text is exact already; rendering its pages is left to the reader).
 */
export async function imagesOf(document: DocumentText): Promise<Array<{ mime: string; data: Buffer }>> {
  const mime = document.file ? IMAGE_TYPES[path.extname(document.file).toLowerCase()] : undefined;
  if (!mime || !existsSync(document.file!)) return [];
  return [{ mime, data: await readFile(document.file!) }];
}
