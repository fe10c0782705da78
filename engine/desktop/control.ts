// Mouse, keyboard, screen capture and clipboard through nut-js. The native module is loaded
// on first use, after desktopPreflight() has checked there is a desktop to drive.
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
  // Channel order and HiDPI scaling are fixed with OpenCV: nut-js's own toRGB() is a JS loop
  // over every pixel (most of a full-screen locate's time).
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
    const { scaleX, scaleY } = image.pixelDensity;
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

export async function moveMouse(point: Point): Promise<void> {
  const { mouse, Point: NutPoint } = await loadNut();
  await mouse.setPosition(new NutPoint(point.x, point.y));
}

export async function click(point: Point, button: Button = 'left', count: 1 | 2 = 1): Promise<void> {
  const { mouse, Button: NutButton } = await loadNut();
  await moveMouse(point);
  const which = button === 'left' ? NutButton.LEFT : button === 'right' ? NutButton.RIGHT : NutButton.MIDDLE;
  if (count === 2) await mouse.doubleClick(which);
  else await mouse.click(which);
}

export async function drag(from: Point, to: Point): Promise<void> {
  const { mouse, Point: NutPoint, straightTo, Button: NutButton } = await loadNut();
  await moveMouse(from);
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
