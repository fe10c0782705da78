// Width and height of a PNG, JPEG or TIFF from its header, and which of them it is: enough to
// refuse a file that is not an image before OCR, and to give OCR'd pages their size.
export type ImageKind = 'png' | 'jpeg' | 'tiff';

export interface ImageInfo {
  kind: ImageKind;
  width: number;
  height: number;
}

function pngSize(data: Buffer): ImageInfo | undefined {
  if (data.length < 24 || data.readUInt32BE(0) !== 0x89504e47 || data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { kind: 'png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

function jpegSize(data: Buffer): ImageInfo | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1]!;
    // Start-of-frame markers (baseline, progressive, …) carry the size; C4, C8 and CC do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { kind: 'jpeg', height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
    }
    at += 2 + data.readUInt16BE(at + 2);
  }
  return undefined;
}

function tiffSize(data: Buffer): ImageInfo | undefined {
  if (data.length < 8) return undefined;
  const order = data.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const u16 = (at: number): number => (little ? data.readUInt16LE(at) : data.readUInt16BE(at));
  const u32 = (at: number): number => (little ? data.readUInt32LE(at) : data.readUInt32BE(at));
  if (u16(2) !== 42) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > data.length) return undefined;
  let width: number | undefined;
  let height: number | undefined;
  for (let i = 0, count = u16(ifd); i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > data.length) break;
    const tag = u16(entry);
    const value = u16(entry + 2) === 3 ? u16(entry + 8) : u32(entry + 8);
    if (tag === 256) width = value;
    if (tag === 257) height = value;
  }
  return width && height ? { kind: 'tiff', width, height } : undefined;
}

/** Undefined when the bytes are not a PNG, JPEG or TIFF whose size can be read. */
export function imageInfo(data: Buffer): ImageInfo | undefined {
  return pngSize(data) ?? jpegSize(data) ?? tiffSize(data);
}
