// Finds a template image on a screen capture: OpenCV matchTemplate (TM_CCOEFF_NORMED) on
// grey-scale pixels, over several template scales so a target recorded at one DPI is still
// found at another.
import type { Bitmap, Rect } from './bitmap.js';
import { loadOpenCv, type CvMat, type OpenCv } from './opencv.js';

export const DEFAULT_SCALES: readonly number[] = [1, 0.9, 1.1, 0.8, 1.25];

export interface ImageMatch {
  /** Best normalised correlation found, 0…1 (negative correlations count as 0). */
  score: number;
  /** Where the best match lies, in the haystack's pixels. */
  rect: Rect;
  scale: number;
}

function toGrey(cv: OpenCv, bitmap: Bitmap): CvMat {
  const rgba = cv.matFromImageData({ width: bitmap.width, height: bitmap.height, data: bitmap.data });
  const grey = new cv.Mat();
  cv.cvtColor(rgba, grey, cv.COLOR_RGBA2GRAY);
  rgba.delete();
  return grey;
}

/**
 * The best place for `needle` in `haystack`. Scales are tried in order; the search stops at
 * the first scale whose score reaches `goodEnough` (the candidate's confidence), so the
 * common case — same DPI as at record time — costs one matchTemplate.
 */
export async function matchImage(haystack: Bitmap, needle: Bitmap, scales: readonly number[] = DEFAULT_SCALES, goodEnough = 1): Promise<ImageMatch | undefined> {
  const cv = await loadOpenCv();
  const screen = toGrey(cv, haystack);
  const template = toGrey(cv, needle);
  let best: ImageMatch | undefined;
  try {
    for (const scale of scales) {
      const width = Math.round(needle.width * scale);
      const height = Math.round(needle.height * scale);
      if (width < 4 || height < 4 || width > haystack.width || height > haystack.height) continue;
      const scaled = new cv.Mat();
      const result = new cv.Mat();
      try {
        cv.resize(template, scaled, new cv.Size(width, height), 0, 0, scale < 1 ? cv.INTER_AREA : cv.INTER_LINEAR);
        cv.matchTemplate(screen, scaled, result, cv.TM_CCOEFF_NORMED);
        const { maxVal, maxLoc } = cv.minMaxLoc(result);
        // A flat template (one colour) has no variance: OpenCV reports NaN or ±Inf there.
        const score = Number.isFinite(maxVal) ? Math.max(0, Math.min(1, maxVal)) : 0;
        if (!best || score > best.score) best = { score, rect: { x: maxLoc.x, y: maxLoc.y, width, height }, scale };
      } finally {
        scaled.delete();
        result.delete();
      }
      if (best && best.score >= goodEnough) break;
    }
  } finally {
    screen.delete();
    template.delete();
  }
  return best;
}

/**
 * How well `needle` matches anywhere other than at its best place: the best score outside a
 * neighbourhood of the best match. The recorder uses it to keep only image targets that are
 * unambiguous on screen.
 */
export async function runnerUpScore(haystack: Bitmap, needle: Bitmap): Promise<number> {
  if (needle.width > haystack.width || needle.height > haystack.height) return 0;
  const cv = await loadOpenCv();
  const screen = toGrey(cv, haystack);
  const template = toGrey(cv, needle);
  const result = new cv.Mat();
  try {
    cv.matchTemplate(screen, template, result, cv.TM_CCOEFF_NORMED);
    const { maxLoc } = cv.minMaxLoc(result);
    // Blank out the best place and its neighbours (half the template either way), then look again.
    const x = Math.max(0, maxLoc.x - Math.floor(needle.width / 2));
    const y = Math.max(0, maxLoc.y - Math.floor(needle.height / 2));
    const width = Math.min(result.cols - x, needle.width);
    const height = Math.min(result.rows - y, needle.height);
    const around = result.roi(new cv.Rect(x, y, width, height));
    around.setTo(new cv.Scalar(-1, 0, 0, 0));
    around.delete();
    const { maxVal } = cv.minMaxLoc(result);
    return Number.isFinite(maxVal) ? Math.max(0, Math.min(1, maxVal)) : 0;
  } finally {
    screen.delete();
    template.delete();
    result.delete();
  }
}
