// Reading and verifying a package, in a fixed order so the first problem reported is the
// most basic one: readable zip → valid manifest → files match it → signature → trusted key.
import { verify } from 'node:crypto';
import path from 'node:path';
import type { z } from 'zod';
import { formatJsonPath } from '../format/load.js';
import { readArchive } from './archive.js';
import { PackageInvalidError } from './errors.js';
import { keyIdOf, parsePublicKey, spkiDer, type TrustedPublisher } from './keys.js';
import { FILES_PREFIX, Manifest, MANIFEST_ENTRY, sha256, Signature, SIGNATURE_ENTRY, unsafePathReason } from './manifest.js';
import { UsageError } from '../errors.js';

/** A package as read, before its contents are checked against the manifest. */
export interface RawPackage {
  file: string;
  manifest: Manifest;
  /** The exact manifest.json bytes: what is hashed and signed. */
  manifestBytes: Buffer;
  /** SHA-256 hex of manifestBytes: the package hash. */
  sha256: string;
  signature?: Signature;
  /** Entries under files/, by their path without the prefix. */
  files: Map<string, Buffer>;
  /** Entries that are neither manifest.json, signature.json nor under files/. */
  strayEntries: string[];
}

export interface PackageSigner {
  keyId: string;
  /** The name the publisher put in the signature (not proven by anything). */
  name?: string;
  /** The trusted-list name the key matched, when a list was given. */
  trustedAs?: string;
}

/**
 * How to name a signer to a person. Only a trusted-list name is proven (by the key the signature
 * verified with); the name in signature.json is outside what is signed, so anyone can change it
 * without breaking the signature: it is never shown as who signed, only as what the package claims.
 */
export function describeSigner(signer: Pick<PackageSigner, 'keyId' | 'name' | 'trustedAs'>): string {
  if (signer.trustedAs !== undefined) return `${signer.trustedAs} (key ${signer.keyId})`;
  return `key ${signer.keyId}, publisher not checked${signer.name !== undefined ? ` (the package calls its signer ${JSON.stringify(signer.name)}; nothing proves that)` : ''}`;
}

export interface VerifiedPackage {
  manifest: Manifest;
  sha256: string;
  signer?: PackageSigner;
  files: Map<string, Buffer>;
}

export interface VerifyOptions {
  /** Publishers whose keys are accepted. Giving a list also requires a signature. */
  trusted?: TrustedPublisher[];
  /** Refuse an unsigned package (`unsigned`). */
  requireSignature?: boolean;
}

/** Reads a package and checks its structure (`damaged`), not yet whether contents match. */
export function readPackage(file: string): RawPackage {
  const display = path.basename(file);
  const entries = readArchive(file);
  const manifestBytes = entries.get(MANIFEST_ENTRY);
  if (!manifestBytes) throw new PackageInvalidError('damaged', MANIFEST_ENTRY, `${display}: has no ${MANIFEST_ENTRY}; it is not an automation package or it is damaged`);
  const manifest = parseEntry(Manifest, manifestBytes, display, MANIFEST_ENTRY);

  const seen = new Set<string>();
  for (const [index, listed] of manifest.files.entries()) {
    const reason = unsafePathReason(listed.path);
    if (reason) throw new PackageInvalidError('damaged', listed.path, `${display}: ${MANIFEST_ENTRY}: files[${index}].path "${listed.path}" ${reason}; refusing to read this package`);
    if (seen.has(listed.path)) throw new PackageInvalidError('damaged', listed.path, `${display}: ${MANIFEST_ENTRY}: "${listed.path}" is listed twice`);
    seen.add(listed.path);
  }
  if (!seen.has(manifest.automation)) {
    throw new PackageInvalidError('damaged', MANIFEST_ENTRY, `${display}: ${MANIFEST_ENTRY}: the automation "${manifest.automation}" is not among the packed files`);
  }

  const signatureBytes = entries.get(SIGNATURE_ENTRY);
  const signature = signatureBytes ? parseEntry(Signature, signatureBytes, display, SIGNATURE_ENTRY) : undefined;

  const files = new Map<string, Buffer>();
  const strayEntries: string[] = [];
  for (const [name, bytes] of entries) {
    if (name === MANIFEST_ENTRY || name === SIGNATURE_ENTRY) continue;
    if (name.startsWith(FILES_PREFIX) && name.length > FILES_PREFIX.length) files.set(name.slice(FILES_PREFIX.length), bytes);
    else strayEntries.push(name);
  }
  return { file, manifest, manifestBytes, sha256: sha256(manifestBytes), ...(signature && { signature }), files, strayEntries };
}

function parseEntry<T extends z.ZodType>(schema: T, bytes: Buffer, display: string, entry: string): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new PackageInvalidError('damaged', entry, `${display}: ${entry} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = formatJsonPath(issue.path);
    throw new PackageInvalidError('damaged', entry, `${display}: ${entry}${at ? `: ${at}` : ''}: ${issue.message}`);
  }
  return parsed.data;
}

/** Every listed file is there with its size and hash, and nothing else is: else `tampered`. */
export function checkContents(raw: RawPackage): void {
  const display = path.basename(raw.file);
  for (const listed of raw.manifest.files) {
    const bytes = raw.files.get(listed.path);
    if (!bytes) throw new PackageInvalidError('tampered', listed.path, `${display}: ${listed.path} is listed in the manifest but missing from the package`);
    const actual = sha256(bytes);
    if (bytes.length !== listed.bytes || actual !== listed.sha256) {
      throw new PackageInvalidError(
        'tampered',
        listed.path,
        `${display}: ${listed.path} does not match the manifest: SHA-256 ${actual.slice(0, 12)}… (${bytes.length} bytes), expected ${listed.sha256.slice(0, 12)}… (${listed.bytes} bytes)`,
      );
    }
  }
  const listed = new Set(raw.manifest.files.map((f) => f.path));
  for (const name of raw.files.keys()) {
    if (!listed.has(name)) throw new PackageInvalidError('tampered', name, `${display}: ${name} is in the package but not listed in the manifest`);
  }
  const stray = raw.strayEntries[0];
  if (stray !== undefined) throw new PackageInvalidError('tampered', stray, `${display}: unexpected entry "${stray}" outside files/`);
}

/**
 * Verifies integrity, then the signature when there is one (a bad signature is always an
 * error), then the publisher against `trusted`. An unsigned package passes only when neither
 * `requireSignature` nor a trusted list asks for a signature.
 */
export function verifyPackage(file: string, options: VerifyOptions = {}): VerifiedPackage {
  const trusted = options.trusted && parseTrusted(options.trusted);
  const raw = readPackage(file);
  checkContents(raw);
  const display = path.basename(file);
  const result: VerifiedPackage = { manifest: raw.manifest, sha256: raw.sha256, files: raw.files };
  const signature = raw.signature;
  if (!signature) {
    if (options.requireSignature || trusted) {
      throw new PackageInvalidError('unsigned', SIGNATURE_ENTRY, `${display}: is not signed, and a signature is required; ask the publisher for a signed package (rpa sign)`);
    }
    return result;
  }

  let key;
  try {
    key = parsePublicKey(signature.publicKey);
  } catch (error) {
    throw new PackageInvalidError('damaged', SIGNATURE_ENTRY, `${display}: ${SIGNATURE_ENTRY}: publicKey cannot be read (${(error as Error).message})`);
  }
  if (!verify(null, raw.manifestBytes, key, Buffer.from(signature.signature, 'base64'))) {
    throw new PackageInvalidError('tampered', SIGNATURE_ENTRY, `${display}: signature does not match the manifest; the package was changed after it was signed`);
  }
  const keyId = keyIdOf(key);
  if (keyId !== signature.keyId) {
    throw new PackageInvalidError('tampered', SIGNATURE_ENTRY, `${display}: ${SIGNATURE_ENTRY}: keyId ${signature.keyId} does not belong to the embedded public key (${keyId})`);
  }
  const signer: PackageSigner = { keyId, ...(signature.signer !== undefined && { name: signature.signer }) };
  if (trusted) {
    const der = spkiDer(key);
    const match = trusted.find((t) => t.der.equals(der));
    if (!match) {
      const names = trusted.map((t) => `${t.name} (${t.keyId})`).join(', ') || 'none';
      throw new PackageInvalidError(
        'untrusted',
        SIGNATURE_ENTRY,
        `${display}: signed by key ${keyId}, which is not a trusted publisher (trusted: ${names})${signature.signer !== undefined ? `; the package calls its signer ${JSON.stringify(signature.signer)}, which nothing proves` : ''}`,
      );
    }
    signer.trustedAs = match.name;
  }
  return { ...result, signer };
}

function parseTrusted(list: TrustedPublisher[]): Array<{ name: string; keyId: string; der: Buffer }> {
  return list.map((publisher) => {
    try {
      const key = parsePublicKey(publisher.publicKey);
      return { name: publisher.name, keyId: keyIdOf(key), der: spkiDer(key) };
    } catch (error) {
      throw new UsageError(`trusted publisher "${publisher.name}": not an Ed25519 public key (SPKI PEM or base64 DER): ${(error as Error).message}`);
    }
  });
}
