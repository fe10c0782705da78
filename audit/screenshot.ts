// Failure screenshots sent to the audit server after their run's records (the protocol both
// sides share). The artifact record of the screenshot carries the SHA-256 of the PNG's bytes,
// sealed in the device's hash chain; the server takes only those bytes, for that record.

/** Largest failure screenshot the server takes (a 4K full-screen PNG is 2–8 MiB). */
export const MAX_SCREENSHOT_BYTES = 16 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Why these bytes are not a PNG image, or undefined when they look like one: the 8-byte
 * signature, then an IHDR chunk of 13 bytes with a width and height of at least 1.
 */
export function notPngReason(bytes: Uint8Array): string | undefined {
  if (bytes.length < 33) return `${bytes.length} bytes is too short for a PNG image`;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return 'it does not start with the PNG signature';
  if (buffer.readUInt32BE(8) !== 13 || buffer.toString('latin1', 12, 16) !== 'IHDR') return 'its first chunk is not a PNG header (IHDR)';
  if (buffer.readUInt32BE(16) === 0 || buffer.readUInt32BE(20) === 0) return 'its header gives a width or height of 0';
  return undefined;
}

/** Where a device sends the screenshot of its artifact record `seq` (PUT, image/png), and auditors read it (GET). */
export const screenshotPath = (deviceId: string, seq: number): string => `/v1/devices/${encodeURIComponent(deviceId)}/records/${seq}/screenshot`;
