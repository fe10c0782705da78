// Mouse, keyboard, screen capture and clipboard through nut-js. The native module is loaded
// on first use, after desktopPreflight() has checked there is a desktop to drive.
import { endianness } from 'node:os';
import type { Bitmap, Rect } from './bitmap.js';
import { keysForCharacter, parseKeys } from './keys.js';
import { loadOpenCv } from './opencv.js';

type NutJs = typeof import('@nut-tree-fork/nut-js');

let nut: Promise<NutJs> | undefined;

function loadNut(): Promise<NutJs> {
  nut ??= import('@nut-tree-fork/nut-js').then((module) => {
    // Defaults are tuned for watching a demo (300 ms between keys, animated mouse moves).
    module.keyboard.config.autoDelayMs = 8;
    module.mouse.config.autoDelayMs = 60;
    module.mouse.config.mouseSpeed = 4_000;
    return module;
  });
  return nut;
}

/** bgraToOpaqueRgba reads pixels as little-endian words. */
const LITTLE_ENDIAN = endianness() === 'LE';

export interface Point {
  x: number;
  y: number;
}

export type Button = 'left' | 'right' | 'middle';

/** Logical screen size (the coordinates the mouse uses). */
export async function screenSize(): Promise<{ width: number; height: number }> {
  const { screen } = await loadNut();
  return { width: await screen.width(), height: await screen.height() };
}

/**
 * The screen (or a region of it) as RGBA in logical pixels: on HiDPI screens the physical
 * capture is scaled down, so image and mouse coordinates agree.
 */
export async function captureScreen(region?: Rect): Promise<Bitmap> {
  const { screen, Region, ColorMode } = await loadNut();
  const image = region ? await screen.grabRegion(new Region(region.x, region.y, region.width, region.height)) : await screen.grab();
  const { scaleX, scaleY } = image.pixelDensity;
  // The common case (X11, no HiDPI scaling): one pass over the pixels, straight into the Buffer
  // returned (issue #22: the two OpenCV conversions and the copies in and out of its heap took a
  // fifth of a full-screen locate's CPU).
  if (scaleX === 1 && scaleY === 1 && image.colorMode === ColorMode.BGR && LITTLE_ENDIAN && image.data.length === image.width * image.height * 4) {
    return { width: image.width, height: image.height, data: bgraToOpaqueRgba(image.data) };
  }
  // Channel order and HiDPI scaling are fixed with OpenCV: nut-js's own toRGB() is a JS loop
  // over every pixel, one object per pixel.
  const cv = await loadOpenCv();
  const source = cv.matFromImageData({ width: image.width, height: image.height, data: image.data });
  const rgb = new cv.Mat();
  const rgba = new cv.Mat();
  const logical = new cv.Mat();
  try {
    // The fourth byte of an X11 capture is padding, not alpha (0 mostly, with stray values where
    // text was antialiased): drop it and make every pixel opaque, or saved PNGs come out transparent.
    cv.cvtColor(source, rgb, image.colorMode === ColorMode.BGR ? cv.COLOR_BGRA2RGB : cv.COLOR_RGBA2RGB);
    cv.cvtColor(rgb, rgba, cv.COLOR_RGB2RGBA);
    if (scaleX === 1 && scaleY === 1) return { width: rgba.cols, height: rgba.rows, data: Buffer.from(rgba.data) };
    cv.resize(rgba, logical, new cv.Size(Math.round(image.width / scaleX), Math.round(image.height / scaleY)), 0, 0, cv.INTER_AREA);
    return { width: logical.cols, height: logical.rows, data: Buffer.from(logical.data) };
  } finally {
    source.delete();
    rgb.delete();
    rgba.delete();
    logical.delete();
  }
}

/**
 * BGRA pixels (an X11 capture: the fourth byte is padding) as opaque RGBA, in a new Buffer: one
 * 32-bit word per pixel, blue and red swapped, alpha set to 255.
 */
export function bgraToOpaqueRgba(bgra: Uint8Array): Buffer {
  const out = Buffer.allocUnsafeSlow(bgra.length); // its own memory: offset 0, aligned
  // Word views need 4-byte alignment; a capture's buffer has it, a slice of one may not.
  const source = bgra.byteOffset % 4 ? Uint8Array.from(bgra) : bgra;
  const from = new Uint32Array(source.buffer, source.byteOffset, source.length >>> 2);
  const to = new Uint32Array(out.buffer, out.byteOffset, out.length >>> 2);
  // Little-endian words: 0xAARRGGBB in, 0xFFBBGGRR out.
  for (let at = 0; at < from.length; at++) {
    const pixel = from[at]!;
    to[at] = (0xff000000 | ((pixel & 0xff) << 16) | (pixel & 0xff00) | ((pixel >>> 16) & 0xff)) >>> 0;
  }
  return out;
}

export async function moveMouse(point: Point): Promise<void> {
  const { mouse, Point: NutPoint } = await loadNut();
  await mouse.setPosition(new NutPoint(point.x, point.y));
}

/** `beforePress` runs right before the button goes down (after the pointer moved); when it throws, nothing is pressed. */
export async function click(point: Point, button: Button = 'left', count: 1 | 2 = 1, beforePress: () => void = () => {}): Promise<void> {
  const { mouse, Button: NutButton } = await loadNut();
  await moveMouse(point);
  beforePress();
  const which = button === 'left' ? NutButton.LEFT : button === 'right' ? NutButton.RIGHT : NutButton.MIDDLE;
  if (count === 2) await mouse.doubleClick(which);
  else await mouse.click(which);
}

/** `beforePress` runs right before the button goes down (after the pointer moved); when it throws, nothing is pressed. */
export async function drag(from: Point, to: Point, beforePress: () => void = () => {}): Promise<void> {
  const { mouse, Point: NutPoint, straightTo, Button: NutButton } = await loadNut();
  await moveMouse(from);
  beforePress();
  await mouse.pressButton(NutButton.LEFT);
  try {
    await mouse.move(straightTo(new NutPoint(to.x, to.y)));
  } finally {
    await mouse.releaseButton(NutButton.LEFT);
  }
}

/**
 * On X11, libnut's typeString drops or unshifts characters ("+" arrives as "=", "*" as "8", a
 * character after a shifted one can vanish), so ASCII text is pressed key by key there, with
 * Shift where the US layout needs it; anything else goes through nut-js's own typing.
 * Keys go one per call (press in order, release in reverse): handing nut-js Shift and a key in
 * one call loses characters there too.
 */
export async function typeText(text: string): Promise<void> {
  const { keyboard, Key } = await loadNut();
  if (process.platform !== 'linux') {
    await keyboard.type(text);
    return;
  }
  for (const character of text) {
    const names = keysForCharacter(character);
    if (!names) {
      await keyboard.type(character);
      continue;
    }
    const keys = names.map((name) => Key[name]);
    for (const key of keys) await keyboard.pressKey(key);
    for (const key of keys.reverse()) await keyboard.releaseKey(key);
  }
}

/** Presses a combination ("Control+S") and releases it. */
export async function pressKeys(combination: string): Promise<void> {
  const names = parseKeys(combination);
  const { keyboard, Key } = await loadNut();
  const keys = names.map((name) => Key[name]);
  for (const key of keys) await keyboard.pressKey(key);
  for (const key of keys.reverse()) await keyboard.releaseKey(key);
}

export async function readClipboard(): Promise<string> {
  const { clipboard } = await loadNut();
  return clipboard.getContent();
}

export async function writeClipboard(text: string): Promise<void> {
  const { clipboard } = await loadNut();
  await clipboard.setContent(text);
}
