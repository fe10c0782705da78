// read.document's work: a PDF, PNG, JPEG or TIFF file → text with pages, lines and boxes.
// PDF pages use their text layer; pages without one (scans) and images go through OCR.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, RpaError } from '../errors.js';
import type { DocumentPage, DocumentText } from '../extract/types.js';
import { imageInfo } from './image-size.js';
import { pageText } from './layout.js';
import { ocrImage } from './ocr.js';
import { invertDarkPanels } from './panels.js';
import { openPdf, pageText as pdfPageText, renderPage } from './pdf.js';

export interface ReadOptions {
  /** auto (default): PDF text where a page has it, OCR for scanned pages and images. */
  ocr?: 'auto' | 'always' | 'never';
  language?: string;
  signal?: AbortSignal;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.tif', '.tiff']);
/** A PDF page with fewer visible characters than this is treated as a scan. */
const MIN_TEXT_CHARS = 16;
/** Scanned PDF pages are rendered at 2 × 72 dpi for OCR. */
const RENDER_SCALE = 2;

async function load(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RpaError(`${file}: file not found`, { file });
    if (code === 'EISDIR') throw new RpaError(`${file}: is a folder, not a document`, { file });
    throw new RpaError(`${file}: cannot read the file (${(error as Error).message})`, { file });
  }
}

function page(number: number, width: number, height: number, lines: DocumentPage['lines'], method: DocumentPage['method']): DocumentPage {
  return { number, width: Math.round(width * 100) / 100, height: Math.round(height * 100) / 100, text: pageText(lines), lines, method };
}

async function readImage(file: string, data: Buffer, options: ReadOptions): Promise<DocumentPage[]> {
  const info = imageInfo(data);
  if (!info) throw new RpaError(`${file}: not a readable PNG, JPEG or TIFF image (the file's contents do not match its extension)`, { file });
  if (options.ocr === 'never') throw new RpaError(`${file}: is an image, which can only be read with OCR, but ocr is "never"`, { file });
  const { lines } = await withFile(file, invertDarkPanels(data).then(({ image }) => ocrImage(image, { language: options.language, signal: options.signal })));
  return [page(1, info.width, info.height, lines, 'ocr')];
}

async function readPdf(file: string, data: Buffer, options: ReadOptions): Promise<DocumentPage[]> {
  let pdf;
  try {
    pdf = await openPdf(data);
  } catch (error) {
    throw new RpaError(`${file}: not a readable PDF (${error instanceof Error ? error.message : String(error)})`, { file });
  }
  try {
    const pages: DocumentPage[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      options.signal?.throwIfAborted();
      const text = await withFile(file, pdfPageText(pdf, number), `page ${number}`);
      const chars = text.lines.reduce((sum, line) => sum + line.text.replace(/\s/g, '').length, 0);
      if (options.ocr === 'never' || (options.ocr !== 'always' && chars >= MIN_TEXT_CHARS)) {
        pages.push(page(number, text.width, text.height, text.lines, 'pdf-text'));
        continue;
      }
      const image = await withFile(file, renderPage(pdf, number, RENDER_SCALE), `page ${number}`);
      const { lines } = await withFile(file, invertDarkPanels(image).then((panels) => ocrImage(panels.image, { language: options.language, scale: RENDER_SCALE, signal: options.signal })), `page ${number}`);
      pages.push(page(number, text.width, text.height, lines, 'ocr'));
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}

/** Names the file (and page) in any error that does not already. */
async function withFile<T>(file: string, work: Promise<T>, where?: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof CancelledError || (error instanceof RpaError && message.startsWith(file))) throw error;
    throw new RpaError(`${file}${where ? ` (${where})` : ''}: ${message}`, { file });
  }
}

/** Reads a document file into text with layout. Errors name the file and say what was wrong. */
export async function readDocument(file: string, options: ReadOptions = {}): Promise<DocumentText> {
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.pdf' && !IMAGE_EXTENSIONS.has(extension)) {
    throw new RpaError(`${file}: cannot read "${extension || 'files without an extension'}" documents; read.document reads PDF, PNG, JPEG and TIFF files`, { file });
  }
  const data = await load(file);
  const pages = extension === '.pdf' ? await readPdf(file, data, options) : await readImage(file, data, options);
  const methods = new Set(pages.map((p) => p.method));
  const method = methods.size > 1 ? 'mixed' : (pages[0]?.method ?? 'pdf-text');
  return { file, method, text: pages.map((p) => p.text).join('\n\n'), pages };
}
