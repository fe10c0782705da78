// PDF pages with unpdf (pdf.js): the text layer as lines with boxes in PDF points (top-left
// origin), and pages rendered to PNG for OCR when they carry no text (scans).
import { getDocumentProxy, renderPageAsImage } from 'unpdf';
import type { Box, TextLine } from '../extract/types.js';
import { linesFromPieces, type TextPiece } from './layout.js';

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

export interface PdfPageText {
  width: number;
  height: number;
  lines: TextLine[];
}

export function openPdf(data: Buffer): Promise<PdfDocument> {
  // pdf.js takes ownership of (and may detach) the buffer it gets: give it a copy.
  return getDocumentProxy(new Uint8Array(data), { verbosity: 0, isEvalSupported: false });
}

interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

export async function pageText(pdf: PdfDocument, pageNumber: number): Promise<PdfPageText> {
  const page: PdfPage = await pdf.getPage(pageNumber);
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const pieces: TextPiece[] = [];
  for (const item of content.items as PdfTextItem[]) {
    if (typeof item.str !== 'string' || item.str.trim() === '') continue;
    // transform = [a, b, c, d, e, f]: e, f is the baseline origin in PDF space (bottom-left);
    // the viewport turns it into top-left page coordinates.
    const size = Math.hypot(item.transform[2]!, item.transform[3]!) || item.height;
    const [x, baseline] = viewport.convertToViewportPoint(item.transform[4]!, item.transform[5]!) as [number, number];
    const box: Box = { x, y: baseline - size * 0.8, width: item.width, height: size };
    pieces.push({ text: item.str, box, confidence: 1 });
  }
  page.cleanup();
  return { width: viewport.width, height: viewport.height, lines: linesFromPieces(pieces) };
}

// Node 20 lacks ArrayBuffer.prototype.transferToFixedLength (ES2024), which pdf.js uses to
// hand fonts to its renderer; without it a page's text is silently not drawn. A copying
// stand-in does what pdf.js needs (it never touches the old buffer again).
function ensureTransferToFixedLength(): void {
  const proto = ArrayBuffer.prototype as ArrayBuffer & { transferToFixedLength?: (length?: number) => ArrayBuffer };
  if (typeof proto.transferToFixedLength === 'function') return;
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    configurable: true,
    writable: true,
    value(this: ArrayBuffer, length?: number): ArrayBuffer {
      const copy = new ArrayBuffer(length ?? this.byteLength);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(copy.byteLength, this.byteLength)));
      return copy;
    },
  });
}

/** The page as a PNG at `scale` × its size in points (scale 2 ≈ 144 dpi). */
export async function renderPage(pdf: PdfDocument, pageNumber: number, scale: number): Promise<Buffer> {
  ensureTransferToFixedLength();
  const png = await renderPageAsImage(pdf, pageNumber, { scale, canvasImport: () => import('@napi-rs/canvas') });
  return Buffer.from(png);
}
