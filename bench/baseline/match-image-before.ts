// The image search as it was before issue #22's pyramid and caches (engine/desktop/match-image.ts at
// 156efa8), kept so bench/image-search can run old and new side by side. Not used by the product.
// Finds a template image on a screen capture: OpenCV matchTemplate (TM_CCOEFF_NORMED) on
// grey-scale pixels, over several template scales so a target recorded at one DPI is still
// found at another.
import type { Bitmap, Rect } from '../../engine/desktop/bitmap.js';
import { loadOpenCv, type CvMat, type OpenCv } from '../../engine/desktop/opencv.js';

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

/** Best TM_CCOEFF_NORMED score and place of `template` in `image` (NaN/Inf from flat areas count as 0). */
function bestMatch(cv: OpenCv, image: CvMat, template: CvMat): { score: number; x: number; y: number } {
  const result = new cv.Mat();
  try {
    cv.matchTemplate(image, template, result, cv.TM_CCOEFF_NORMED);
    const { maxVal, maxLoc } = cv.minMaxLoc(result);
    return { score: Number.isFinite(maxVal) ? Math.max(0, Math.min(1, maxVal)) : 0, x: maxLoc.x, y: maxLoc.y };
  } finally {
    result.delete();
  }
}

function resized(cv: OpenCv, source: CvMat, width: number, height: number): CvMat {
  const target = new cv.Mat();
  cv.resize(source, target, new cv.Size(width, height), 0, 0, width < source.cols ? cv.INTER_AREA : cv.INTER_LINEAR);
  return target;
}

/** Below this template size the half-resolution pass loses too much detail to be trusted. */
const COARSE_MIN_SIDE = 24;
const REFINE_MARGIN = 6;

/**
 * The best place for `needle` in `haystack`. Scales are tried in order; the search stops at
 * the first scale whose score reaches `goodEnough` (the candidate's confidence), so the
 * common case — same DPI as at record time — costs one search. Each search first matches at
 * half resolution (a quarter of the pixels, a quarter of the template) and confirms the best
 * place at full resolution in a small window around it; only when that is not good enough
 * does it search the full-resolution screen.
 */
export async function matchImage(haystack: Bitmap, needle: Bitmap, scales: readonly number[] = DEFAULT_SCALES, goodEnough = 1): Promise<ImageMatch | undefined> {
  const cv = await loadOpenCv();
  const screen = toGrey(cv, haystack);
  const template = toGrey(cv, needle);
  let half: CvMat | undefined;
  let best: ImageMatch | undefined;
  const consider = (score: number, x: number, y: number, width: number, height: number, scale: number): void => {
    if (!best || score > best.score) best = { score, rect: { x, y, width, height }, scale };
  };
  try {
    for (const scale of scales) {
      const width = Math.round(needle.width * scale);
      const height = Math.round(needle.height * scale);
      if (width < 4 || height < 4 || width > haystack.width || height > haystack.height) continue;
      const scaled = resized(cv, template, width, height);
      try {
        if (Math.min(width, height) >= COARSE_MIN_SIDE) {
          half ??= resized(cv, screen, Math.round(haystack.width / 2), Math.round(haystack.height / 2));
          const small = resized(cv, scaled, Math.round(width / 2), Math.round(height / 2));
          const coarse = bestMatch(cv, half, small);
          small.delete();
          const x = Math.max(0, coarse.x * 2 - REFINE_MARGIN);
          const y = Math.max(0, coarse.y * 2 - REFINE_MARGIN);
          const area = screen.roi(new cv.Rect(x, y, Math.min(haystack.width - x, width + 2 * REFINE_MARGIN), Math.min(haystack.height - y, height + 2 * REFINE_MARGIN)));
          const fine = area.cols >= width && area.rows >= height ? bestMatch(cv, area, scaled) : undefined;
          area.delete();
          if (fine && fine.score >= goodEnough) {
            consider(fine.score, x + fine.x, y + fine.y, width, height, scale);
            break;
          }
        }
        const full = bestMatch(cv, screen, scaled);
        consider(full.score, full.x, full.y, width, height, scale);
      } finally {
        scaled.delete();
      }
      if (best && best.score >= goodEnough) break;
    }
  } finally {
    screen.delete();
    template.delete();
    half?.delete();
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

/**
 * The share (0…1) of pixels whose grey level differs by more than `tolerance` between two
 * pictures of the same size: how much of a window changed between two captures.
 */
export async function changedFraction(a: Bitmap, b: Bitmap, tolerance = 24): Promise<number> {
  if (a.width !== b.width || a.height !== b.height) return 1;
  if (a.width === 0 || a.height === 0) return 0;
  const cv = await loadOpenCv();
  const first = toGrey(cv, a);
  const second = toGrey(cv, b);
  const difference = new cv.Mat();
  try {
    cv.absdiff(first, second, difference);
    cv.threshold(difference, difference, tolerance, 255, cv.THRESH_BINARY);
    return cv.countNonZero(difference) / (a.width * a.height);
  } finally {
    first.delete();
    second.delete();
    difference.delete();
  }
}

/** Coarse scores run a little below full-resolution ones: the half-resolution pass looks this much lower. */
const COARSE_SLACK = 0.1;

/**
 * Every place where `needle` (at `scale`) scores at least `minScore`, best first, at most `limit`
 * of them; places closer than half the template to a better one count as that one. Replay uses
 * it to refuse a match that another place equals (identical empty entries look alike). Large
 * enough templates are searched at half resolution and each place found is confirmed at full
 * resolution, so the check costs a sixteenth of a full search on a whole screen.
 */
export async function matchPlaces(haystack: Bitmap, needle: Bitmap, scale: number, minScore: number, limit = 5): Promise<ImageMatch[]> {
  const width = Math.round(needle.width * scale);
  const height = Math.round(needle.height * scale);
  if (width < 4 || height < 4 || width > haystack.width || height > haystack.height) return [];
  const coarse = Math.min(width, height) >= COARSE_MIN_SIDE;
  const cv = await loadOpenCv();
  const full = toGrey(cv, haystack);
  const original = toGrey(cv, needle);
  const screen = coarse ? resized(cv, full, Math.round(haystack.width / 2), Math.round(haystack.height / 2)) : full;
  const template = resized(cv, original, coarse ? Math.round(width / 2) : width, coarse ? Math.round(height / 2) : height);
  const result = new cv.Mat();
  const seen: Array<{ x: number; y: number; score: number }> = [];
  try {
    cv.matchTemplate(screen, template, result, cv.TM_CCOEFF_NORMED);
    // Flat areas give NaN or infinities; they never count as a place.
    const scores = result.data32F;
    for (let index = 0; index < scores.length; index++) if (!Number.isFinite(scores[index]!)) scores[index] = -1;
    const floor = coarse ? minScore - COARSE_SLACK : minScore;
    while (seen.length < limit * 2) {
      const { maxVal, maxLoc } = cv.minMaxLoc(result);
      if (!Number.isFinite(maxVal) || maxVal < floor) break;
      seen.push({ x: maxLoc.x, y: maxLoc.y, score: Math.min(1, maxVal) });
      const x = Math.max(0, maxLoc.x - Math.floor(template.cols / 2));
      const y = Math.max(0, maxLoc.y - Math.floor(template.rows / 2));
      const around = result.roi(new cv.Rect(x, y, Math.min(result.cols - x, template.cols), Math.min(result.rows - y, template.rows)));
      around.setTo(new cv.Scalar(-1, 0, 0, 0));
      around.delete();
    }
  } finally {
    if (screen !== full) screen.delete();
    full.delete();
    original.delete();
    template.delete();
    result.delete();
  }
  const places: ImageMatch[] = [];
  for (const place of seen) {
    if (!coarse) {
      places.push({ score: place.score, rect: { x: place.x, y: place.y, width, height }, scale });
      continue;
    }
    const centre = { x: place.x * 2 + width / 2, y: place.y * 2 + height / 2 };
    const confirmed = await matchNear(haystack, needle, centre, scale, REFINE_MARGIN);
    if (confirmed && confirmed.score >= minScore) places.push(confirmed);
  }
  return places.sort((a, b) => b.score - a.score).slice(0, limit);
}

/** The best place for `needle` (at `scale`) with its centre within `slack` pixels of `centre`; undefined when it does not fit there. */
export async function matchNear(haystack: Bitmap, needle: Bitmap, centre: { x: number; y: number }, scale = 1, slack = 4): Promise<ImageMatch | undefined> {
  const width = Math.round(needle.width * scale);
  const height = Math.round(needle.height * scale);
  const x = Math.max(0, Math.round(centre.x - width / 2) - slack);
  const y = Math.max(0, Math.round(centre.y - height / 2) - slack);
  const right = Math.min(haystack.width, Math.round(centre.x + width / 2) + slack);
  const bottom = Math.min(haystack.height, Math.round(centre.y + height / 2) + slack);
  if (width < 4 || height < 4 || right - x < width || bottom - y < height) return undefined;
  const cv = await loadOpenCv();
  const screen = toGrey(cv, haystack);
  const original = toGrey(cv, needle);
  const template = scale === 1 ? original : resized(cv, original, width, height);
  const area = screen.roi(new cv.Rect(x, y, right - x, bottom - y));
  try {
    const found = bestMatch(cv, area, template);
    return { score: found.score, rect: { x: x + found.x, y: y + found.y, width, height }, scale };
  } finally {
    area.delete();
    screen.delete();
    if (template !== original) template.delete();
    original.delete();
  }
}
