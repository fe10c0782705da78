// rpa verify PACKAGE [--trust PUBFILE ...] [--require-signature] [--json]: proves a package's
// integrity and, with --trust, that a trusted publisher signed it. Exit 3 when it does not hold.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { verifyPackage, type TrustedPublisher } from '../../engine/package/index.js';
import { parseOrUsage } from '../args.js';
import { color } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('verify');

export function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: { trust: { type: 'string', multiple: true }, 'require-signature': { type: 'boolean' }, json: { type: 'boolean' } },
      }),
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`expected one package file\nusage: ${USAGE}`);
  const trusted = values.trust?.map(readTrusted);
  const verified = verifyPackage(positionals[0]!, { ...(trusted && { trusted }), requireSignature: values['require-signature'] ?? false });
  const { manifest, signer } = verified;
  if (values.json) {
    // The self-declared name is not signed: it goes out as a claim, never as `name` beside trustedAs.
    const signerReport = signer ? { keyId: signer.keyId, ...(signer.trustedAs !== undefined && { trustedAs: signer.trustedAs }), ...(signer.name !== undefined && { claimedName: signer.name }) } : null;
    const report = { ok: true, file: path.resolve(positionals[0]!), sha256: verified.sha256, id: manifest.id, name: manifest.name, version: manifest.version, automation: manifest.automation, createdAt: manifest.createdAt, signer: signerReport, files: manifest.files };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return Promise.resolve(0);
  }
  console.log(`${color.green('✓')} ${positionals[0]!}: ${manifest.name} (${manifest.id} ${manifest.version})`);
  console.log(`  package hash  ${verified.sha256}`);
  if (signer?.trustedAs !== undefined) {
    // Only the trusted list's name is proven (by the key); signature.json's own name is not signed.
    console.log(`  signed by     ${signer.trustedAs}  key ${signer.keyId}  ${color.green('trusted publisher')}`);
  } else if (signer) {
    console.log(`  signed by     key ${signer.keyId}  ${color.yellow('publisher not checked (give --trust PUBLIC_KEY_FILE)')}`);
    if (signer.name !== undefined) console.log(`  claims to be  ${JSON.stringify(signer.name)}  ${color.dim('(self-declared in signature.json, not covered by the signature)')}`);
  } else {
    console.log(`  signed by     ${color.yellow('nobody: unsigned, integrity only')}`);
  }
  console.log(`  files         ${manifest.files.length}`);
  for (const file of manifest.files) console.log(`    ${file.sha256.slice(0, 12)}  ${String(file.bytes).padStart(9)}  ${file.path}${file.path === manifest.automation ? color.dim('  (automation)') : ''}`);
  return Promise.resolve(0);
}

/** A trusted publisher from a public key file (SPKI PEM or base64 DER), named after the file. */
function readTrusted(file: string): TrustedPublisher {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `--trust ${file}: public key file not found` : `--trust ${file}: cannot be read (${code ?? String(error)})`);
  }
  return { name: path.basename(file).replace(/\.pub$/, ''), publicKey: text };
}
