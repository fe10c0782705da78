// A page of a review task's document as an image the reviewer's screen can show: PDF pages
// are rendered to PNG here (the UI has no PDF reader and may run in any browser); PNG and
// JPEG scans are sent as they are. The file is the one the run read, named by the task.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openPdf, renderPage } from '../documents/pdf.js';
import { imageInfo } from '../documents/image-size.js';
import { NotFoundError, RequestInvalidError } from './errors.js';
import type { ReviewTask } from '../review/review-store.js';

export interface PageImage {
  mime: 'image/png' | 'image/jpeg';
  /** Base64. */
  data: string;
  width: number;
  height: number;
}

/** Pages are rendered this many pixels wide: sharp enough to read a total beside the fields. */
const TARGET_WIDTH = 1100;

export async function reviewPageImage(task: Pick<ReviewTask, 'id' | 'details'>, pageNumber: number): Promise<PageImage> {
  const document = (task.details ?? {})['document'] as { file?: string; pages?: number } | undefined;
  if (!document?.file) throw new NotFoundError(`review ${task.id} has no document file to show`);
  const file = document.file;
  const extension = path.extname(file).toLowerCase();
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    throw new NotFoundError(`the document ${path.basename(file)} of review ${task.id} is no longer at ${file}`);
  }
  if (extension === '.pdf') {
    const pdf = await openPdf(data);
    try {
      if (pageNumber > pdf.numPages) throw new RequestInvalidError(`${path.basename(file)} has ${pdf.numPages} page(s), not ${pageNumber}`);
      const page = await pdf.getPage(pageNumber);
      const { width } = page.getViewport({ scale: 1 });
      page.cleanup();
      const png = await renderPage(pdf, pageNumber, Math.min(4, Math.max(1, TARGET_WIDTH / width)));
      const info = imageInfo(png);
      return { mime: 'image/png', data: png.toString('base64'), width: info?.width ?? 0, height: info?.height ?? 0 };
    } finally {
      await pdf.destroy();
    }
  }
  const info = imageInfo(data);
  if (pageNumber !== 1) throw new RequestInvalidError(`${path.basename(file)} is an image with one page, not ${pageNumber}`);
  if (!info || (info.kind !== 'png' && info.kind !== 'jpeg')) throw new NotFoundError(`${path.basename(file)} cannot be shown in the review (only PDF, PNG and JPEG documents can)`);
  return { mime: info.kind === 'png' ? 'image/png' : 'image/jpeg', data: data.toString('base64'), width: info.width, height: info.height };
}
