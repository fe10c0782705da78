// electron-builder.yml, checked without the Electron binary or network: electron-builder's own
// schema validation (a misspelt key fails), the installer targets per OS, signing and
// notarization only through environment variables, versioned artifact names the update feed can
// serve, the Electron fuses, the packaged file set (computed with electron-builder's own
// matchers: the desktop app alone, without the audit server, the demo system or their
// packages), native modules unpacked from the asar (computed from node_modules), the update
// feed, and every referenced file present.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import picomatch from 'picomatch';
import ts from 'typescript';
import { parse } from 'yaml';
import { UPDATE_FILE_NAME } from '../../server/updates.js';
import { REPO_ROOT } from '../helpers/env.js';
import { dependencyClosure, importsOf, packagedApp, packagedNodeScripts, packageName, type PackagedApp } from '../helpers/packaged-app.js';

const CONFIG_FILE = path.join(REPO_ROOT, 'electron-builder.yml');
const text = readFileSync(CONFIG_FILE, 'utf8');
const config = parse(text) as Configuration;
const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

type TargetEntry = string | { target: string; arch?: string | string[] };

/** The target names configured for one OS section. */
function targetsOf(section: { target?: unknown } | null | undefined): string[] {
  const raw = section?.target;
  const list = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]) as TargetEntry[];
  return list.map((t) => (typeof t === 'string' ? t : t.target));
}

/** Each (key path, string value) in the parsed config. */
function* strings(value: unknown, at = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [at, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${at}[${i}]`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, at ? `${at}.${k}` : k);
}

/** electron-builder's `files` semantics for a relative path: positive patterns add, `!` patterns remove, in order. */
function packaged(file: string): boolean {
  let included = false;
  for (const pattern of (config.files ?? []) as string[]) {
    const negated = pattern.startsWith('!');
    if (picomatch.isMatch(file, negated ? pattern.slice(1) : pattern, { dot: true })) included = !negated;
  }
  return included;
}

/** A dependency's file that a `!` pattern of `files` takes out (electron-builder adds production dependencies on its own). */
const excludedDependencyFile = (file: string): boolean => ((config.files ?? []) as string[]).some((pattern) => pattern.startsWith('!') && picomatch.isMatch(file, pattern.slice(1), { dot: true }));

const unpacked = (file: string): boolean => picomatch.isMatch(file, config.asarUnpack ?? [], { dot: true });

/** Optional dependencies declared by runtime packages, installed here or not (other platforms' binaries). */
const declaredOptional = new Set<string>();

/** Package folders (relative to the repo) reachable from package.json "dependencies", including installed optional ones. */
function runtimePackages(): string[] {
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    // Node's lookup: the requiring package's own node_modules, then each parent's.
    let dir = from;
    for (;;) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) {
        if (seen.has(candidate)) return;
        seen.add(candidate);
        const manifest = JSON.parse(readFileSync(path.join(candidate, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
        for (const dep of Object.keys(manifest.optionalDependencies ?? {})) declaredOptional.add(dep);
        for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep, candidate);
        return;
      }
      if (path.resolve(dir) === path.resolve(REPO_ROOT)) return; // not installed (an optional package of another platform)
      dir = path.dirname(dir);
    }
  };
  for (const name of Object.keys(packageJson.dependencies)) visit(name, REPO_ROOT);
  return [...seen].map((dir) => path.relative(REPO_ROOT, dir).split(path.sep).join('/'));
}

/** `.node` files inside one package folder, not descending into its own node_modules (those are packages of their own). */
function nativeBinaries(packageDir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(REPO_ROOT, packageDir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(child);
      else if (entry.isFile() && entry.name.endsWith('.node')) found.push(`${packageDir}/${child}`);
    }
  };
  walk('');
  return found;
}

/** Bare module names imported at run time (not `import type`) by the packaged code's sources. */
function runtimeImports(): Map<string, string> {
  const imports = new Map<string, string>();
  const roots = ['engine', 'electron', 'recorder', 'cli', 'audit', 'assets/demo-system'];
  const skip = (file: string) => /\.test\.tsx?$/.test(file) || /\/page\//.test(file); // page code is bundled by esbuild
  const record = (specifier: string, file: string) => {
    if (specifier.startsWith('.') || specifier.startsWith('node:')) return;
    const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
    if (!imports.has(name)) imports.set(name, file);
  };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/\.c?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !skip(rel)) {
        const source = ts.createSourceFile(rel, readFileSync(path.join(REPO_ROOT, rel), 'utf8'), ts.ScriptTarget.Latest, true);
        const visitNode = (node: ts.Node): void => {
          if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) record(node.moduleSpecifier.text, rel);
          if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) record(node.moduleSpecifier.text, rel);
          if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
            const callee = node.expression;
            const isLoader = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require') || ts.isCallExpression(callee);
            if (isLoader) record(node.arguments[0].text, rel);
          }
          ts.forEachChild(node, visitNode);
        };
        visitNode(source);
      }
    }
  };
  for (const root of roots) walk(root);
  return imports;
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation, and a misspelt key would not', async () => {
    await validateConfiguration(config, new DebugLogger(false));
    const misspelt = { ...config, mac: { ...config.mac, hardendRuntime: true } } as Configuration;
    await assert.rejects(validateConfiguration(misspelt, new DebugLogger(false)), /Invalid configuration object/);
  });

  it('names the product and writes to release/, which git ignores', () => {
    assert.equal(config.productName, 'RPA Studio');
    assert.match(config.appId ?? '', /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/);
    assert.equal(config.directories?.output, 'release');
    const ignored = readFileSync(path.join(REPO_ROOT, '.gitignore'), 'utf8').split('\n').map((l) => l.trim());
    assert.ok(ignored.includes('release/') || ignored.includes('/release/'), '.gitignore lists release/');
  });

  it('builds NSIS and MSI on Windows, dmg and zip on macOS, AppImage and deb on Linux', () => {
    assert.deepEqual(targetsOf(config.win).sort(), ['msi', 'nsis']);
    assert.deepEqual(targetsOf(config.mac).sort(), ['dmg', 'zip']);
    assert.deepEqual(targetsOf(config.linux).sort(), ['AppImage', 'deb']);
    assert.equal(config.msi?.perMachine, true, 'the MSI installs machine-wide for Group Policy / Intune');
    assert.match(config.msi?.upgradeCode ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a fixed upgrade code, so new MSIs upgrade old ones');
  });

  it('signs macOS builds with the hardened runtime, entitlements and env-driven notarization', () => {
    assert.equal(config.mac?.hardenedRuntime, true);
    assert.equal(config.mac?.entitlements, 'build/entitlements.mac.plist');
    assert.equal(config.mac?.notarize, true, 'notarize reads APPLE_* environment variables');
    const plist = readFileSync(path.join(REPO_ROOT, 'build/entitlements.mac.plist'), 'utf8');
    for (const key of ['com.apple.security.cs.allow-jit', 'com.apple.security.cs.allow-unsigned-executable-memory', 'com.apple.security.cs.disable-library-validation']) {
      assert.match(plist, new RegExp(`<key>${key.replace(/\./g, '\\.')}</key>\\s*<true/>`), key);
    }
  });

  it('holds no password, certificate or other secret: signing goes through environment variables only', () => {
    const sensitiveKey = /pass(word)?|secret|token|cert|csc|identity|apple(Id|ApiKey)|apiKey|keychain|private/i;
    for (const [key, value] of strings(config)) {
      if (sensitiveKey.test(key)) assert.match(value, /^\$\{env\.[A-Z0-9_]+\}$/, `${key} must come from an environment variable`);
    }
    assert.doesNotMatch(text, /-----BEGIN|\bMII[A-Za-z0-9+/]{20}/, 'no PEM or base64 DER certificate');
    assert.doesNotMatch(text, /[A-Za-z0-9+/]{60,}={0,2}/, 'no long base64 blob');
    assert.doesNotMatch(text, /\.(p12|pfx|p8|key)\b/i, 'no certificate or key file referenced');
  });

  it('names artifacts by version, OS and arch, as plain file names the update feed serves', () => {
    const name = config.artifactName ?? '';
    for (const macro of ['${version}', '${os}', '${arch}', '${ext}']) assert.ok(name.includes(macro), `artifactName has ${macro}`);
    const expanded = name.replace('${version}', '1.2.3-beta.1').replace('${os}', 'win').replace('${arch}', 'x64').replace('${ext}', 'exe');
    assert.match(expanded, UPDATE_FILE_NAME);
    assert.match(`${expanded}.blockmap`, UPDATE_FILE_NAME);
  });

  it('packages the compiled app and examples, never tests, source maps, sources or build leftovers', () => {
    for (const file of ['package.json', 'dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/engine/api.js', 'dist/renderer/index.html', 'dist/recorder/page/recorder.bundle.js', 'automations/examples/login.json', 'electron/tray.png']) {
      assert.ok(packaged(file), `${file} is packaged`);
    }
    for (const file of ['dist/engine/update/gate.test.js', 'dist/test/e2e/cli.test.js', 'dist/bench/overhead.js', 'dist/engine/api.js.map', 'dist/renderer/assets/index.js.map', 'dist/server/main.js', 'dist/assets/demo-system/main.js', 'dist/cli/rpa.js', '.dist-dist/engine/api.js', 'engine/api.ts', 'electron/main.ts', 'docs/building-installers.md', 'bench/results/overhead.json', 'README.md', 'release/latest.yml', 'Dockerfile']) {
      assert.ok(!packaged(file), `${file} is not packaged`);
    }
  });

  it('starts the compiled Electron main, where electron/tsconfig.json puts it', () => {
    const tsconfig = JSON.parse(readFileSync(path.join(REPO_ROOT, 'electron/tsconfig.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
    const electronDir = path.join(REPO_ROOT, 'electron');
    const source = path.join(electronDir, 'main.ts');
    const compiled = path.join(path.resolve(electronDir, tsconfig.compilerOptions.outDir), path.relative(path.resolve(electronDir, tsconfig.compilerOptions.rootDir), source)).replace(/\.ts$/, '.js');
    assert.ok(existsSync(source));
    const main = (config.extraMetadata as { main?: unknown } | undefined)?.main;
    assert.equal(main, path.relative(REPO_ROOT, compiled).split(path.sep).join('/'));
    assert.ok(packaged(String(main)));
  });

  it('unpacks every runtime dependency holding a native .node binary, as a whole package', () => {
    const natives = runtimePackages().filter((dir) => nativeBinaries(dir).length > 0);
    assert.ok(natives.includes('node_modules/better-sqlite3'), `found native packages: ${natives.join(', ')}`);
    for (const dir of natives) {
      for (const binary of nativeBinaries(dir)) assert.ok(unpacked(binary), `${binary} is unpacked`);
      assert.ok(unpacked(`${dir}/package.json`), `${dir} is unpacked whole (binaries are looked up relative to the package)`);
    }
    // Tesseract's worker thread reads its script, WASM core and language data from real files.
    for (const file of ['node_modules/tesseract.js/src/worker-script/node/index.js', 'node_modules/tesseract.js-core/tesseract-core-lstm.wasm', 'node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz']) {
      assert.ok(existsSync(path.join(REPO_ROOT, file)), `${file} exists`);
      assert.ok(unpacked(file), `${file} is unpacked`);
      assert.ok(!excludedDependencyFile(file), `${file} is packaged`);
    }
    // The model OCR does not read stays out of the installers.
    assert.ok(existsSync(path.join(REPO_ROOT, 'node_modules/@tesseract.js-data/eng/4.0.0/eng.traineddata.gz')));
    assert.ok(excludedDependencyFile('node_modules/@tesseract.js-data/eng/4.0.0/eng.traineddata.gz'), 'the unused 4.0.0 model is left out');
    // Native packages of other platforms are not installed here; their folders are unpacked too.
    for (const dir of ['node_modules/@nut-tree-fork/node-mac-permissions', 'node_modules/@napi-rs/canvas-darwin-arm64', 'node_modules/@napi-rs/canvas-win32-x64-msvc', 'node_modules/@nut-tree-fork/libnut-win32']) {
      assert.ok(unpacked(`${dir}/build/Release/x.node`) && unpacked(`${dir}/package.json`), `${dir} is unpacked`);
    }
    assert.ok(!unpacked('node_modules/zod/package.json'), 'plain JavaScript stays in the asar');
    assert.equal(config.npmRebuild, true, 'native modules are rebuilt for Electron');
  });

  it('puts every package the app imports at run time in "dependencies" (devDependencies are not packaged)', () => {
    runtimePackages();
    // An optional dependency of a runtime package (a platform-only helper) is packaged where it is installed.
    const missing = [...runtimeImports()].filter(([name]) => name !== 'electron' && !isBuiltin(name) && !(name in packageJson.dependencies) && !declaredOptional.has(name));
    const problems = missing.map(([name, file]) => `${name} (imported by ${file})${name in packageJson.devDependencies ? ' is a devDependency' : ' is not a dependency'}`);
    assert.deepEqual(problems, []);
  });

  it('flips the Electron fuses: no run-as-node, NODE_OPTIONS or inspector; encrypted cookies; code only from a checked app.asar; no file:// privileges', async () => {
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    assert.equal(config.asar, true, 'the fuses that trust app.asar need one');
    // electron-builder's schema knows each fuse: a misspelt one is refused, not ignored.
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } } as Configuration;
    await assert.rejects(validateConfiguration(misspelt, new DebugLogger(false)), /Invalid configuration object/);
  });

  it('publishes to a generic feed whose URL comes from RPA_UPDATE_FEED_URL', () => {
    assert.deepEqual(config.publish, { provider: 'generic', url: '${env.RPA_UPDATE_FEED_URL}' });
  });

  it('refers only to files that exist', () => {
    const fileKeys = /(^|\.)(icon|entitlements|entitlementsInherit|license|background|installerIcon|uninstallerIcon|installerHeader|installerSidebar|include|script)$/;
    const referenced = [...strings(config)].filter(([key]) => fileKeys.test(key));
    assert.ok(referenced.some(([, value]) => value === 'build/icon.png'));
    for (const [key, value] of referenced) assert.ok(existsSync(path.join(REPO_ROOT, value)), `${key}: ${value} exists`);
    for (const file of ((config.files ?? []) as string[]).filter((f) => !/[*!{]/.test(f))) assert.ok(existsSync(path.join(REPO_ROOT, file)), `files: ${file} exists`);
    const icon = readFileSync(path.join(REPO_ROOT, 'build/icon.png'));
    assert.equal(icon.readUInt32BE(16), 512, 'icon width');
    assert.equal(icon.readUInt32BE(20), 512, 'icon height');
  });

  it('has `npm run dist` build the app and then the installers with this file', () => {
    assert.equal(packageJson.scripts.dist, 'npm run build && electron-builder --config electron-builder.yml');
  });
});

/** Packages of the audit server (server/) and of the demo claims system (assets/demo-system/). */
const SERVER_AND_DEMO_PACKAGES = ['@electric-sql/pglite', 'pg', 'pg-copy-streams', '@fastify/rate-limit', 'cheerio', 'busboy'];
/** Packages the app finds by a name computed at run time rather than a literal import. */
const RESOLVED_AT_RUN_TIME = ['@tesseract.js-data/eng']; // engine/ocr/tesseract.ts: the OCR language's data
const inPackage = (name: string) => new RegExp(`(^|/)node_modules/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`);

describe('the installer carries the desktop app alone (electron-builder’s own matchers over the built dist/ and node_modules)', () => {
  let app: PackagedApp;
  before(async () => {
    assert.ok(existsSync(path.join(REPO_ROOT, 'dist', 'electron', 'main.js')), 'npm run build first');
    app = await packagedApp(config as Record<string, unknown>, REPO_ROOT);
  });

  it('holds the main process, engine, recorder, audit client, renderer and examples; no server, demo system, CLI, tests or benchmarks', () => {
    for (const file of ['package.json', 'dist/electron/main.js', 'dist/electron/engine-host.js', 'dist/electron/preload.cjs', 'dist/engine/host/host.js', 'dist/recorder/page/recorder.bundle.js', 'dist/engine/page/inspect.bundle.js', 'dist/renderer/index.html', 'automations/examples/login.json', 'electron/tray.png']) {
      assert.ok(app.appFiles.includes(file), `${file} is packaged`);
    }
    const stray = app.appFiles.filter((file) => /^dist\/(server|assets|cli|test|bench)\//.test(file) || /\.(test\.js|map|ts)$/.test(file));
    assert.deepEqual(stray, []);
  });

  it('holds no package of the audit server or the demo system', () => {
    for (const name of SERVER_AND_DEMO_PACKAGES) {
      assert.ok(app.packages.some((p) => p.name === name), `${name} is in the production tree (else this proves nothing)`);
      assert.deepEqual(app.files.filter((file) => inPackage(name).test(file)).slice(0, 3), [], `${name} is not packaged`);
    }
  });

  it('holds exactly the packages the packaged code loads, with their dependencies', () => {
    const loaded = new Set<string>(RESOLVED_AT_RUN_TIME);
    for (const file of packagedNodeScripts(app)) {
      for (const specifier of importsOf(path.join(REPO_ROOT, file))) {
        const name = packageName(specifier);
        if (name && name !== 'electron') loaded.add(name); // electron is the runtime itself
      }
    }
    const needed = new Set([...dependencyClosure(loaded, REPO_ROOT).keys()].map((dir) => path.relative(REPO_ROOT, dir).split(path.sep).join('/')));
    const packaged = app.packages.filter((p) => p.files.length > 0);
    assert.deepEqual(packaged.filter((p) => !needed.has(p.dir)).map((p) => p.dir), [], 'packaged although nothing in the app loads it');
    const missing = [...needed].filter((dir) => !packaged.some((p) => p.dir === dir));
    assert.deepEqual(missing, [], 'loaded by the app but left out');
    for (const p of packaged) assert.ok(p.files.includes(`${p.dir}/package.json`), `${p.dir}/package.json`);
  });

  it('every relative import of the packaged code lands on a packaged file', () => {
    const files = new Set(app.appFiles);
    const dangling: string[] = [];
    for (const file of packagedNodeScripts(app)) {
      for (const specifier of importsOf(path.join(REPO_ROOT, file))) {
        if (!specifier.startsWith('.')) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
        if (!files.has(target)) dangling.push(`${file} → ${specifier}`);
      }
    }
    assert.deepEqual(dangling, []);
  });

  it('names in its `!node_modules` exclusions only packages of the production tree', () => {
    const names = new Set(app.packages.map((p) => p.name));
    const excluded = ((config.files ?? []) as string[]).filter((p) => p.startsWith('!**/node_modules/{')).flatMap((p) => /\{([^}]+)\}/.exec(p)![1]!.split(','));
    assert.ok(excluded.length > 10);
    assert.deepEqual(excluded.filter((name) => !names.has(name)), []);
  });
});
