// Light text on dark panels, made dark on light before OCR. Tesseract thresholds a page once; a
// coloured sidebar or header band with white or pale text (a supplier's block, "Belegnummer" in
// pale blue on navy) then comes out as a black slab with the text lost. Each large region that is
// dark almost everywhere is inverted in a grey copy of the page; everything else keeps its grey
// value, and a page without such a region goes to OCR untouched (the same bytes). Decoding is in
// JavaScript (pngjs, jpeg-js): a document's bytes come from outside, and a native decoder handed a
// broken file can take the whole process down.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { imageInfo } from './image-size.js';

/** A pixel darker than this (0–255 luminance) counts as dark. */
const DARK = 110;
/** Share of dark pixels in the window around a pixel for it to lie in a panel. */
const PANEL_SHARE = 0.6;
/** A panel is at least this many pixels in area, and this wide and tall (bold type is not a panel). */
const MIN_AREA = 4000;
const MIN_SIDE = 40;

export interface PanelPage {
  /** The image for OCR: the original bytes when no panel was found, else a grey PNG with panels inverted. */
  image: Buffer;
  panels: number;
}

/** Window radius for a page of this width: about 1 % of it, at least 6 pixels. */
const radiusFor = (width: number): number => Math.max(6, Math.round(width / 100));

/** The page's pixels as RGBA, or undefined for a format or file this cannot decode (OCR then reads it as it is). */
function decode(data: Buffer): { width: number; height: number; rgba: Uint8Array } | undefined {
  try {
    const kind = imageInfo(data)?.kind;
    if (kind === 'png') {
      const png = PNG.sync.read(data);
      return { width: png.width, height: png.height, rgba: png.data };
    }
    if (kind === 'jpeg') {
      const image = jpeg.decode(data, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      return { width: image.width, height: image.height, rgba: image.data };
    }
  } catch {
    // a broken file: OCR reports what it can
  }
  return undefined;
}

export function invertDarkPanels(data: Buffer): Promise<PanelPage> {
  return Promise.resolve().then(() => {
    const page = decode(data);
    if (!page || page.width < MIN_SIDE || page.height < MIN_SIDE) return { image: data, panels: 0 };
    const { width, height, rgba } = page;
    const grey = new Uint8Array(width * height);
    for (let i = 0, p = 0; i < grey.length; i++, p += 4) grey[i] = (rgba[p]! * 299 + rgba[p + 1]! * 587 + rgba[p + 2]! * 114) / 1000;
    const kept = largeRegions(panelMask(grey, width, height, radiusFor(width)), width, height);
    if (!kept.count) return { image: data, panels: 0 };
    fillHoles(kept.inside, width, height, 6 * radiusFor(width));
    const out = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
    for (let i = 0; i < grey.length; i++) out.data[i] = kept.inside[i] ? 255 - grey[i]! : grey[i]!;
    return { image: PNG.sync.write(out, { colorType: 0, inputColorType: 0, inputHasAlpha: false }), panels: kept.count };
  });
}

/** 1 where the square window of `radius` around a pixel is mostly dark. */
function panelMask(grey: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  // Summed-area table of dark pixels, one row and column of zeros in front.
  const stride = width + 1;
  const sums = new Uint32Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += grey[y * width + x]! < DARK ? 1 : 0;
      sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1]! + row;
    }
  }
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const top = Math.max(0, y - radius);
    const bottom = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const left = Math.max(0, x - radius);
      const right = Math.min(width, x + radius + 1);
      const dark = sums[bottom * stride + right]! - sums[top * stride + right]! - sums[bottom * stride + left]! + sums[top * stride + left]!;
      if (dark >= PANEL_SHARE * (bottom - top) * (right - left)) mask[y * width + x] = 1;
    }
  }
  return mask;
}

interface Regions {
  /** Region number per pixel (0: not selected), regions numbered from 1. */
  label: Int32Array;
  area: number[];
  width: number[];
  height: number[];
  /** Whether the region touches the image's edge. */
  edge: boolean[];
}

/** The 4-connected regions of the pixels where `map[i] === value`, with their area and extent. */
function regions(map: Uint8Array, value: number, width: number, height: number): Regions {
  const label = new Int32Array(map.length);
  const stack = new Int32Array(map.length);
  const out: Regions = { label, area: [0], width: [0], height: [0], edge: [false] };
  let next = 0;
  for (let start = 0; start < map.length; start++) {
    if (map[start] !== value || label[start]) continue;
    next++;
    let top = 0;
    stack[top++] = start;
    label[start] = next;
    let [area, minX, maxX, minY, maxY, edge] = [0, width, 0, height, 0, false];
    while (top) {
      const i = stack[--top]!;
      area++;
      const x = i % width;
      const y = (i - x) / width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) edge = true;
      const visit = (j: number): void => {
        if (map[j] === value && !label[j]) {
          label[j] = next;
          stack[top++] = j;
        }
      };
      if (x > 0) visit(i - 1);
      if (x < width - 1) visit(i + 1);
      if (y > 0) visit(i - width);
      if (y < height - 1) visit(i + width);
    }
    out.area.push(area);
    out.width.push(maxX - minX + 1);
    out.height.push(maxY - minY + 1);
    out.edge.push(edge);
  }
  return out;
}

/** The connected regions of `mask` big enough to be panels. */
function largeRegions(mask: Uint8Array, width: number, height: number): { inside: Uint8Array; count: number } {
  const found = regions(mask, 1, width, height);
  const keep = found.area.map((area, n) => n > 0 && area >= MIN_AREA && found.width[n]! > MIN_SIDE && found.height[n]! > MIN_SIDE);
  const inside = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) if (keep[found.label[i]!]) inside[i] = 1;
  return { inside, count: keep.filter(Boolean).length };
}

/**
 * Marks as inside the holes of the panels no taller than `maxHeight`: the strokes of large pale type,
 * where the window is not dark enough, belong to the panel they are printed on.
 */
function fillHoles(inside: Uint8Array, width: number, height: number, maxHeight: number): void {
  const found = regions(inside, 0, width, height);
  const hole = found.area.map((_, n) => n > 0 && !found.edge[n] && found.height[n]! <= maxHeight);
  for (let i = 0; i < inside.length; i++) if (hole[found.label[i]!]) inside[i] = 1;
}
