// Signed automation packages: one .rpapkg file holding an automation and everything it needs,
// whose integrity and publisher can be proven. See pack.ts, verify.ts, sign.ts, extract.ts.
export { PackageInvalidError, type PackageProblem } from './errors.js';
export { extractForRun, type ExtractedPackage, type ExtractOptions } from './extract.js';
export { generateKeyPair, publicKeyId, type TrustedPublisher } from './keys.js';
export { Manifest, PACKAGE_FORMAT, type ManifestFile, type Signature } from './manifest.js';
export { packDirectory, PACKAGE_EXTENSION, type PackOptions } from './pack.js';
export { signPackage } from './sign.js';
export { describeSigner, readPackage, verifyPackage, type PackageSigner, type RawPackage, type VerifiedPackage, type VerifyOptions } from './verify.js';
export { isPackageFile, loadAutomationOrPackage } from './load.js';
