// Finds a template image on a screen capture: OpenCV matchTemplate (TM_CCOEFF_NORMED) on
// grey-scale pixels, over several template scales so a target recorded at one DPI is still
// found at another.
//
// Speed (issue #22). A capture is turned to grey, and its half and quarter copies built, once,
// however many searches look at it: the grey pyramid is cached per pixel buffer (a WeakMap, plain
// JS memory, so nothing has to be freed). Scaled templates are cached per template the same way.
// One coarse matchTemplate on a Gaussian pyramid level (quarter, or half) gives both the best
// place and every rival place (the uniqueness check); they are confirmed at full resolution in a
// small window around each, best first, until the rest score too low here to beat or rival the
// best confirmed. A template is searched coarsely only when its coarse copy still matches itself
// at every pixel phase of that level (measured once per template), and the coarse floor is
// lowered by what it loses at its worst phase; wide, short templates (a button) may use the
// quarter level with a shorter side of 6 pixels there. A level with too many look-alikes hands
// over to the next finer one; fine text and one-pixel lines are searched at full resolution.
import type { Bitmap, Rect } from './bitmap.js';
import { loadOpenCv, type CvMat, type OpenCv } from './opencv.js';

export const DEFAULT_SCALES: readonly number[] = [1, 0.9, 1.1, 0.8, 1.25];

export interface ImageMatch {
  /** Best normalised correlation found, 0…1 (negative correlations count as 0). */
  score: number;
  /** Where the match lies, in the haystack's pixels. */
  rect: Rect;
  scale: number;
}

/** One channel of grey pixels, rows top to bottom. */
interface Grey {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Grey pyramids of captures, keyed by their pixel buffer: level 0 full size, 1 half, 2 quarter. */
const pyramids = new WeakMap<Buffer, Grey[]>();
/** Grey templates, keyed by their pixel buffer, then by `${width}x${height}`. */
const scaledTemplates = new WeakMap<Buffer, Map<string, Grey>>();

function fromMat(mat: CvMat): Grey {
  return { width: mat.cols, height: mat.rows, data: mat.data.slice() };
}

function toMat(cv: OpenCv, grey: Grey): CvMat {
  const mat = new cv.Mat(grey.height, grey.width, cv.CV_8UC1);
  mat.data.set(grey.data);
  return mat;
}

function resizedGrey(cv: OpenCv, source: Grey, width: number, height: number): Grey {
  if (source.width === width && source.height === height) return source;
  const from = toMat(cv, source);
  const to = new cv.Mat();
  try {
    cv.resize(from, to, new cv.Size(width, height), 0, 0, width < source.width ? cv.INTER_AREA : cv.INTER_LINEAR);
    return fromMat(to);
  } finally {
    from.delete();
    to.delete();
  }
}

/** A rectangle (inside the picture) of a grey picture. */
function cropGrey(grey: Grey, rect: Rect): Grey {
  const data = new Uint8Array(rect.width * rect.height);
  for (let row = 0; row < rect.height; row++) {
    const from = (rect.y + row) * grey.width + rect.x;
    data.set(grey.data.subarray(from, from + rect.width), row * rect.width);
  }
  return { width: rect.width, height: rect.height, data };
}

/** Half the size, Gaussian-smoothed first (cv.pyrDown): a coarse level that aliases little, so a place's coarse score hardly depends on its pixel phase. */
function halved(cv: OpenCv, source: Grey): Grey {
  const from = toMat(cv, source);
  const to = new cv.Mat();
  try {
    cv.pyrDown(from, to);
    return fromMat(to);
  } finally {
    from.delete();
    to.delete();
  }
}

/** The capture in grey at pyramid `level` (0 = full size, each level half the one before). */
function greyLevel(cv: OpenCv, bitmap: Bitmap, level: number): Grey {
  let levels = pyramids.get(bitmap.data);
  // The same buffer seen with another size (a view of it): start again rather than mix them up.
  if (!levels || levels[0]?.width !== bitmap.width || levels[0]?.height !== bitmap.height) {
    const rgba = cv.matFromImageData({ width: bitmap.width, height: bitmap.height, data: bitmap.data });
    const grey = new cv.Mat();
    try {
      cv.cvtColor(rgba, grey, cv.COLOR_RGBA2GRAY);
      levels = [fromMat(grey)];
    } finally {
      rgba.delete();
      grey.delete();
    }
    pyramids.set(bitmap.data, levels);
  }
  for (let at = 1; at <= level; at++) levels[at] ??= halved(cv, levels[at - 1]!);
  return levels[level]!;
}

function sizesOf(needle: Bitmap): Map<string, Grey> {
  let sizes = scaledTemplates.get(needle.data);
  if (!sizes) {
    sizes = new Map();
    scaledTemplates.set(needle.data, sizes);
  }
  return sizes;
}

/** The template in grey at width×height (cached: replay looks for the same templates again and again). */
function templateAt(cv: OpenCv, needle: Bitmap, width: number, height: number): Grey {
  const sizes = sizesOf(needle);
  const key = `${width}x${height}`;
  let grey = sizes.get(key);
  if (!grey) {
    grey = resizedGrey(cv, greyLevel(cv, needle, 0), width, height);
    sizes.set(key, grey);
  }
  return grey;
}

/** Below this size (the template's shorter side at a pyramid level) a coarse pass loses too much detail to be trusted… */
const COARSE_MIN_SIDE = 12;
/**
 * …except at the quarter level, which a wide, short template (a button, 80×28) may use with a
 * shorter side of 6 as long as its longer side keeps COARSE_MIN_SIDE and it passes the phase test
 * below: a quarter pass costs a quarter of a half one, most of a full-screen search.
 */
const QUARTER_MIN_SHORT_SIDE = 6;
/** How far (in a level's own pixels) around a place found one level coarser its confirmation at that level looks: 3 coarse pixels each way. */
const REFINE_RADIUS = 6;
/** A template whose coarse copy scores below this against itself at some pixel phase is too fine for that level. */
const COARSE_MIN_SELF = 0.6;
/** Added to what a template loses at its worst phase: the floor's safety margin for places like it but not equal. */
const COARSE_EXTRA_SLACK = 0.05;
/** At most this many coarse places are confirmed per scale; more than that and the full-resolution search decides. */
const COARSE_PLACES = 32;

interface CoarseTemplate {
  grey: Grey;
  /** How much lower than at full resolution a place of this template can score at this level: its worst pixel phase, plus a margin. */
  slack: number;
}

const coarseTemplates = new WeakMap<Buffer, Map<string, CoarseTemplate | null>>();

/**
 * The template at pyramid `level` for a search at width×height, and how much its places can lose
 * there; null when the level loses too much of it (fine text, one-pixel lines). Measured once per
 * template: the template drawn at pixel phases of the level on a canvas of its own edges,
 * taken down the pyramid as a screen is, and matched against its coarse copy.
 */
function coarseTemplate(cv: OpenCv, needle: Bitmap, width: number, height: number, level: number): CoarseTemplate | null {
  let sizes = coarseTemplates.get(needle.data);
  if (!sizes) {
    sizes = new Map();
    coarseTemplates.set(needle.data, sizes);
  }
  const key = `${width}x${height}@${level}`;
  const known = sizes.get(key);
  if (known !== undefined) return known;
  const factor = 2 ** level;
  const full = templateAt(cv, needle, width, height);
  let grey = full;
  for (let at = 0; at < level; at++) grey = halved(cv, grey);
  let worst = 1;
  const template = toMat(cv, grey);
  const source = toMat(cv, full);
  try {
    // Phases on the diagonal: a shift loses most at half a coarse pixel each way, and a full
    // grid of phases (16 at a quarter) costs a first look too much.
    for (const phase of new Set([0, factor / 2, factor - 1])) {
      const canvas = new cv.Mat();
      cv.copyMakeBorder(source, canvas, phase + factor, 2 * factor - phase, phase + factor, 2 * factor - phase, cv.BORDER_REPLICATE);
      let coarse: Grey = fromMat(canvas);
      canvas.delete();
      for (let at = 0; at < level; at++) coarse = halved(cv, coarse);
      const image = toMat(cv, coarse);
      try {
        worst = Math.min(worst, image.cols >= template.cols && image.rows >= template.rows ? bestMatch(cv, image, template).score : 0);
      } finally {
        image.delete();
      }
    }
  } finally {
    template.delete();
    source.delete();
  }
  const found = worst >= COARSE_MIN_SELF ? { grey, slack: 1 - worst + COARSE_EXTRA_SLACK } : null;
  sizes.set(key, found);
  return found;
}

/**
 * The pyramid levels (quarter, then half) a width×height template can be searched at: each keeps
 * it large enough and alike at every pixel phase. Coarsest first; a level that finds too many
 * look-alikes hands over to the next.
 */
function coarseLevels(cv: OpenCv, needle: Bitmap, width: number, height: number): Array<{ level: number; template: CoarseTemplate }> {
  const levels: Array<{ level: number; template: CoarseTemplate }> = [];
  for (const level of [2, 1]) {
    const factor = 2 ** level;
    const shorter = Math.min(width, height) / factor;
    const longer = Math.max(width, height) / factor;
    if (longer < COARSE_MIN_SIDE || shorter < (level === 2 ? QUARTER_MIN_SHORT_SIDE : COARSE_MIN_SIDE)) continue;
    const template = coarseTemplate(cv, needle, width, height, level);
    if (template) levels.push({ level, template });
  }
  return levels;
}

/** More places above the floor than this and `peaks` gives up (`more`): see `peaksByBlanking`. */
const PEAK_SCAN_LIMIT = 4096;

interface Peak {
  x: number;
  y: number;
  score: number;
}

/**
 * The places of a TM_CCOEFF_NORMED result scoring at least `floor`, best first, at most `limit`;
 * a place closer than half the template (each way) to a better one counts as that one. Flat areas
 * give NaN or infinities: they never count. `more` is true when places beyond `limit` were left.
 */
function peaks(result: CvMat, floor: number, templateWidth: number, templateHeight: number, limit: number): { found: Peak[]; more: boolean } {
  const scores = result.data32F;
  const columns = result.cols;
  const above: number[] = [];
  for (let index = 0; index < scores.length; index++) {
    const score = scores[index]!;
    // A screen of look-alikes (or a flat template): sorting them all costs more than it tells.
    if (score >= floor && score !== Infinity && above.push(index) > PEAK_SCAN_LIMIT) return { found: [], more: true };
  }
  const values = above.map((index) => scores[index]!);
  const order = above.map((_, at) => at).sort((a, b) => values[b]! - values[a]!);
  const found: Peak[] = [];
  const halfWidth = Math.floor(templateWidth / 2);
  const halfHeight = Math.floor(templateHeight / 2);
  for (const at of order) {
    const index = above[at]!;
    const x = index % columns;
    const y = (index - x) / columns;
    if (found.some((peak) => Math.abs(peak.x - x) <= halfWidth && Math.abs(peak.y - y) <= halfHeight)) continue;
    if (found.length >= limit) return { found, more: true };
    found.push({ x, y, score: Math.max(0, Math.min(1, values[at]!)) });
  }
  return { found, more: false };
}

/** As `peaks`, for a result with very many places above the floor: take the best, blank out its neighbourhood, repeat. */
function peaksByBlanking(cv: OpenCv, result: CvMat, floor: number, templateWidth: number, templateHeight: number, limit: number): Peak[] {
  const scores = result.data32F;
  for (let index = 0; index < scores.length; index++) if (!Number.isFinite(scores[index]!)) scores[index] = -1;
  const found: Peak[] = [];
  while (found.length < limit) {
    const { maxVal, maxLoc } = cv.minMaxLoc(result);
    if (!(maxVal >= floor)) break;
    found.push({ x: maxLoc.x, y: maxLoc.y, score: Math.min(1, maxVal) });
    const x = Math.max(0, maxLoc.x - Math.floor(templateWidth / 2));
    const y = Math.max(0, maxLoc.y - Math.floor(templateHeight / 2));
    const around = result.roi(new cv.Rect(x, y, Math.min(result.cols - x, templateWidth + 1), Math.min(result.rows - y, templateHeight + 1)));
    around.setTo(new cv.Scalar(-1, 0, 0, 0));
    around.delete();
  }
  return found;
}

/** Best TM_CCOEFF_NORMED score and place of `template` in `image` (NaN/Inf from flat areas count as 0). */
function bestMatch(cv: OpenCv, image: CvMat, template: CvMat): Peak {
  const result = new cv.Mat();
  try {
    cv.matchTemplate(image, template, result, cv.TM_CCOEFF_NORMED);
    const { maxVal, maxLoc } = cv.minMaxLoc(result);
    return { score: Number.isFinite(maxVal) ? Math.max(0, Math.min(1, maxVal)) : 0, x: maxLoc.x, y: maxLoc.y };
  } finally {
    result.delete();
  }
}

/** The best place for `template` in the part of `screen` from (x, y) `margin` pixels either way; undefined when it does not fit. */
function confirmNear(cv: OpenCv, screen: CvMat, template: CvMat, x: number, y: number, margin: number): Peak | undefined {
  const left = Math.max(0, x - margin);
  const top = Math.max(0, y - margin);
  const right = Math.min(screen.cols, x + template.cols + margin);
  const bottom = Math.min(screen.rows, y + template.rows + margin);
  if (right - left < template.cols || bottom - top < template.rows) return undefined;
  const area = screen.roi(new cv.Rect(left, top, right - left, bottom - top));
  try {
    const found = bestMatch(cv, area, template);
    return { score: found.score, x: left + found.x, y: top + found.y };
  } finally {
    area.delete();
  }
}

export interface ImageSearchOptions {
  /** Template scales, tried in order; the search stops at the first whose best place reaches `goodEnough`. */
  scales?: readonly number[];
  /** The score a place needs (the candidate's confidence). */
  goodEnough?: number;
  /** Places within this much of the best one are its rivals. */
  margin?: number;
  /** At most this many places are returned. */
  limit?: number;
}

export interface ImageSearch {
  /** The best place over the scales tried; undefined when the template fits at none. */
  best?: ImageMatch;
  /**
   * When `best` reaches `goodEnough`: every place at its scale scoring at least best − margin,
   * best first, `best` among them (one place = unique). Empty otherwise.
   */
  places: ImageMatch[];
  /** The pyramid level whose search decided (0 full resolution, 1 half, 2 quarter); undefined when no scale was searched to the end. */
  level?: number;
}

/**
 * Looks for `needle` in `haystack`: the best place and, when it is good enough, its rivals at the
 * same scale (replay refuses a match that another place about equals: identical empty entries
 * look alike). Scales are tried in order and the search stops at the first good enough one, so
 * the common case — same DPI as at record time — costs one coarse search and a few small
 * confirmations.
 */
export async function findImage(haystack: Bitmap, needle: Bitmap, options: ImageSearchOptions = {}): Promise<ImageSearch> {
  const { scales = DEFAULT_SCALES, goodEnough = 1, margin = 0.1, limit = 5 } = options;
  const cv = await loadOpenCv();
  let best: ImageMatch | undefined;
  const consider = (match: ImageMatch): void => {
    if (!best || match.score > best.score) best = match;
  };
  const screen = toMat(cv, greyLevel(cv, haystack, 0));
  try {
    for (const scale of scales) {
      const width = Math.round(needle.width * scale);
      const height = Math.round(needle.height * scale);
      if (width < 4 || height < 4 || width > haystack.width || height > haystack.height) continue;
      const template = toMat(cv, templateAt(cv, needle, width, height));
      const at = (peak: Peak): ImageMatch => ({ score: peak.score, rect: { x: peak.x, y: peak.y, width, height }, scale });
      try {
        let decided = false;
        for (const coarse of coarseLevels(cv, needle, width, height)) {
          const image = toMat(cv, greyLevel(cv, haystack, coarse.level));
          const part = toMat(cv, coarse.template.grey);
          const result = new cv.Mat();
          let candidates: { found: Peak[]; more: boolean } = { found: [], more: true };
          let coarseBest: Peak | undefined;
          try {
            if (part.cols <= image.cols && part.rows <= image.rows) {
              cv.matchTemplate(image, part, result, cv.TM_CCOEFF_NORMED);
              candidates = peaks(result, goodEnough - margin - coarse.template.slack, part.cols, part.rows, COARSE_PLACES);
              const { maxVal, maxLoc } = cv.minMaxLoc(result);
              if (Number.isFinite(maxVal)) coarseBest = { x: maxLoc.x, y: maxLoc.y, score: maxVal };
            }
          } finally {
            image.delete();
            part.delete();
            result.delete();
          }
          // Too many look-alikes to confirm one by one: a finer level (or the full-resolution search below) decides.
          if (candidates.more) continue;
          // Nothing above the floor: the coarse best, confirmed, is still the score the error message names.
          if (!candidates.found.length && coarseBest) candidates.found.push(coarseBest);
          // Best first, each confirmed at full resolution near its place; the floor rises with the
          // best confirmed so far. A place scoring f at full resolution scores at least f − slack
          // here, so one below (best so far − margin − slack) can neither beat the best nor rival it:
          // on a screen of buttons that leaves a few confirmations of the dozens of coarse places.
          const factor = 2 ** coarse.level;
          const radius = REFINE_RADIUS * 2 ** (coarse.level - 1);
          const fine: Peak[] = [];
          for (const place of candidates.found) {
            const bestSoFar = Math.max(goodEnough, fine[0]?.score ?? 0);
            if (fine.length && place.score < bestSoFar - margin - coarse.template.slack) break;
            const found = confirmNear(cv, screen, template, place.x * factor, place.y * factor, radius);
            if (!found) continue;
            fine.push(found);
            fine.sort((one, other) => other.score - one.score);
          }
          // Two coarse places may confirm as one.
          const confirmed: Peak[] = [];
          for (const place of fine) if (!confirmed.some((other) => Math.abs(other.x - place.x) <= width / 2 && Math.abs(other.y - place.y) <= height / 2)) confirmed.push(place);
          const top = confirmed[0];
          if (top) consider(at(top));
          if (top && top.score >= goodEnough) {
            return { best: at(top), places: confirmed.filter((place) => place.score >= top.score - margin).slice(0, limit).map(at), level: coarse.level };
          }
          // The floor lies below what any place scoring goodEnough at full resolution can score
          // here (the template's worst phase): none is on screen at this scale.
          decided = true;
          break;
        }
        if (decided) continue;
        // No coarse level fits this template, or too many look-alikes: the whole screen at full resolution.
        const result = new cv.Mat();
        try {
          cv.matchTemplate(screen, template, result, cv.TM_CCOEFF_NORMED);
          const { maxVal, maxLoc } = cv.minMaxLoc(result);
          const top = { score: Number.isFinite(maxVal) ? Math.max(0, Math.min(1, maxVal)) : 0, x: maxLoc.x, y: maxLoc.y };
          consider(at(top));
          if (top.score >= goodEnough) {
            const scan = peaks(result, top.score - margin, width, height, limit);
            const places = scan.more && !scan.found.length ? peaksByBlanking(cv, result, top.score - margin, width, height, limit) : scan.found;
            return { best: at(top), places: (places.length ? places : [top]).map(at), level: 0 };
          }
        } finally {
          result.delete();
        }
      } finally {
        template.delete();
      }
    }
  } finally {
    screen.delete();
  }
  return { ...(best ? { best } : {}), places: [] };
}

/** The best place for `needle` in `haystack` over `scales` (see findImage). */
export async function matchImage(haystack: Bitmap, needle: Bitmap, scales: readonly number[] = DEFAULT_SCALES, goodEnough = 1): Promise<ImageMatch | undefined> {
  return (await findImage(haystack, needle, { scales, goodEnough })).best;
}

/**
 * How well `needle` matches anywhere other than at its best place: the best score outside a
 * neighbourhood of the best match. The recorder uses it to keep only image targets that are
 * unambiguous on screen.
 */
export async function runnerUpScore(haystack: Bitmap, needle: Bitmap): Promise<number> {
  if (needle.width > haystack.width || needle.height > haystack.height) return 0;
  const cv = await loadOpenCv();
  const screen = toMat(cv, greyLevel(cv, haystack, 0));
  const template = toMat(cv, greyLevel(cv, needle, 0));
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
  const first = toMat(cv, greyLevel(cv, a, 0));
  const second = toMat(cv, greyLevel(cv, b, 0));
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
  const area = toMat(cv, cropGrey(greyLevel(cv, haystack, 0), { x, y, width: right - x, height: bottom - y }));
  const template = toMat(cv, templateAt(cv, needle, width, height));
  try {
    const found = bestMatch(cv, area, template);
    return { score: found.score, rect: { x: x + found.x, y: y + found.y, width, height }, scale };
  } finally {
    area.delete();
    template.delete();
  }
}
