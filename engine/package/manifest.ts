// The package manifest: what a package holds, by path, size and SHA-256. Its exact bytes
// are the package hash and what the publisher signs, so they are written canonically.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../audit/index.js';

export const PACKAGE_FORMAT = 'rpa-package/1';
export const MANIFEST_ENTRY = 'manifest.json';
export const SIGNATURE_ENTRY = 'signature.json';
/** Packed files live under this prefix inside the zip, so they never clash with the two entries above. */
export const FILES_PREFIX = 'files/';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits');

export const ManifestFile = z.strictObject({
  path: z.string().min(1),
  sha256: sha256Hex,
  bytes: z.number().int().min(0),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const Manifest = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  automation: z.string().min(1).describe('Path of the automation JSON among `files`.'),
  id: z.string().min(1),
  name: z.string().min(1),
  version: z.string().min(1),
  createdAt: z.iso.datetime(),
  files: z.array(ManifestFile),
});
export type Manifest = z.infer<typeof Manifest>;

export const Signature = z.strictObject({
  alg: z.literal('ed25519'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lower-case hex digits'),
  publicKey: z.string().min(1).describe('SPKI PEM of the signing key.'),
  signedAt: z.iso.datetime(),
  signer: z.string().optional(),
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64').describe('Ed25519 over the exact manifest.json bytes.'),
});
export type Signature = z.infer<typeof Signature>;

/** The bytes written as manifest.json: sorted keys, files sorted by path, one trailing newline. */
export function manifestBytes(manifest: Manifest): Buffer {
  const sorted = { ...manifest, files: [...manifest.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
  return Buffer.from(`${canonicalJson(sorted)}\n`, 'utf8');
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Why a path may not appear in a package, or undefined when it is safe: relative, posix
 * separators, no `.`/`..`/empty segments, no drive letters — nothing that could land outside
 * the folder it is extracted into, on any platform.
 */
export function unsafePathReason(p: string): string | undefined {
  if (p.length === 0) return 'empty path';
  if (p.includes('\\')) return 'contains a backslash';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(p)) return 'starts with a drive letter';
  for (const segment of p.split('/')) {
    if (segment === '..') return 'climbs out of the package with ".."';
    if (segment === '.' || segment === '') return 'has an empty or "." segment';
  }
  return undefined;
}
