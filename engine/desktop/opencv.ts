// Loads OpenCV's WASM build once per process (about 0.4 s) for template matching and image prep.
import { createRequire } from 'node:module';

// The package ships no usable typings for its Emscripten module object; the few calls we
// make are typed here.
export interface CvMat {
  rows: number;
  cols: number;
  data32F: Float32Array;
  data: Uint8Array;
  roi(rect: unknown): CvMat;
  setTo(value: unknown): void;
  copyTo(target: CvMat): void;
  delete(): void;
}

export interface OpenCv {
  Mat: new (rows?: number, cols?: number, type?: number) => CvMat;
  Size: new (width: number, height: number) => unknown;
  Rect: new (x: number, y: number, width: number, height: number) => unknown;
  Scalar: new (...values: number[]) => unknown;
  matFromImageData(image: { width: number; height: number; data: Uint8Array | Uint8ClampedArray }): CvMat;
  cvtColor(src: CvMat, dst: CvMat, code: number): void;
  pyrDown(src: CvMat, dst: CvMat): void;
  copyMakeBorder(src: CvMat, dst: CvMat, top: number, bottom: number, left: number, right: number, borderType: number): void;
  resize(src: CvMat, dst: CvMat, size: unknown, fx: number, fy: number, interpolation: number): void;
  matchTemplate(image: CvMat, template: CvMat, result: CvMat, method: number): void;
  minMaxLoc(src: CvMat): { maxVal: number; maxLoc: { x: number; y: number } };
  absdiff(a: CvMat, b: CvMat, result: CvMat): void;
  threshold(src: CvMat, dst: CvMat, threshold: number, max: number, type: number): number;
  countNonZero(src: CvMat): number;
  CV_8UC1: number;
  BORDER_REPLICATE: number;
  COLOR_RGBA2GRAY: number;
  COLOR_GRAY2RGBA: number;
  COLOR_BGRA2RGBA: number;
  COLOR_BGRA2RGB: number;
  COLOR_RGBA2RGB: number;
  COLOR_RGB2RGBA: number;
  THRESH_BINARY: number;
  TM_CCOEFF_NORMED: number;
  INTER_AREA: number;
  INTER_CUBIC: number;
  INTER_LINEAR: number;
  onRuntimeInitialized?: () => void;
}

let loading: Promise<OpenCv> | undefined;

export function loadOpenCv(): Promise<OpenCv> {
  loading ??= (async () => {
    // The Emscripten build installs process-wide handlers: one rethrows every uncaught exception
    // after printing the whole 10 MB script, one aborts on any unhandled rejection. Not ours to set.
    const uncaught = process.listeners('uncaughtException');
    const unhandled = process.listeners('unhandledRejection');
    const module = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv & { then?: unknown };
    for (const listener of process.listeners('uncaughtException')) if (!uncaught.includes(listener)) process.off('uncaughtException', listener);
    for (const listener of process.listeners('unhandledRejection')) if (!unhandled.includes(listener)) process.off('unhandledRejection', listener);
    if (typeof (module as { Mat?: unknown }).Mat !== 'function') {
      await new Promise<void>((resolve) => {
        module.onRuntimeInitialized = resolve;
      });
    }
    // The Emscripten module is a thenable that resolves to itself: returning it from an async
    // function would make promise resolution loop forever.
    delete module.then;
    return module;
  })();
  return loading;
}
