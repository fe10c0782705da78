// The files an installer would carry, computed the way electron-builder computes them but
// without the Electron binary or the network: electron-builder's own file matchers and walkers
// (app-builder-lib) applied to this checkout — the `files` patterns with its default
// exclusions to the project, and to every package of the production dependency tree (what
// electron-builder's npm collector lists: "dependencies", with their dependencies, installed
// optional dependencies and peers) its node-module rules and the `!` patterns of `files`.
// Also: the packages and files the packaged code itself imports, to compare with.
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const require = createRequire(import.meta.url);

interface Matcher {
  from: string;
  patterns: string[];
  createFilter(): (file: string, stat: unknown) => boolean;
}
type MatcherClass = new (from: string, to: string, macroExpander: (s: string) => string, patterns?: string[]) => Matcher;
const fileMatcher = require('app-builder-lib/out/fileMatcher.js') as {
  FileMatcher: MatcherClass;
  excludedExts: string;
  getMainFileMatchers(appDir: string, destination: string, macroExpander: (s: string) => string, platformSpecificBuildOptions: unknown, platformPackager: unknown, outDir: string, isElectronCompile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, destination: string, macroExpander: (s: string) => string, platformSpecificBuildOptions: unknown, packager: unknown): Matcher;
};
const { AppFileWalker } = require('app-builder-lib/out/util/AppFileWalker.js') as { AppFileWalker: new (matcher: Matcher, packager: unknown) => { filter: unknown } };
const { NodeModuleCopyHelper } = require('app-builder-lib/out/util/NodeModuleCopyHelper.js') as {
  NodeModuleCopyHelper: new (matcher: Matcher, packager: unknown) => { collectNodeModules(module: { dir: string; name: string }, excludedExts: string[], destination: string): Promise<string[]> };
};
const { walk } = require('builder-util') as { walk(this: void, dir: string, filter: unknown, consumer: unknown): Promise<string[]> };

export interface PackagedPackage {
  /** The package's name and folder relative to the project (node_modules/a/node_modules/b). */
  name: string;
  dir: string;
  /** Its packaged files, relative to the project. */
  files: string[];
}

export interface PackagedApp {
  /** The project's own files (not node_modules), relative, sorted. */
  appFiles: string[];
  /** Every package of the production tree, with the files of it that are packaged (maybe none). */
  packages: PackagedPackage[];
  /** Every packaged file (app and packages), relative. */
  files: string[];
  /** The sum of the packaged files' sizes: the unpacked app. */
  bytes: number;
}

const posix = (file: string): string => file.split(path.sep).join('/');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** Node's lookup of a package from a folder: its node_modules, then each parent's, up to the root. */
function locate(name: string, from: string, root: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.resolve(dir) === path.resolve(root)) return undefined;
    dir = path.dirname(dir);
  }
}

/** The installed packages reachable from `names` (looked up from `from`) through dependencies, optional and peer dependencies. */
export function dependencyClosure(names: Iterable<string>, root: string, from: string = root): Map<string, string> {
  const seen = new Map<string, string>(); // folder → name
  const visit = (name: string, start: string): void => {
    const dir = locate(name, start, root);
    if (!dir || seen.has(dir)) return; // not installed: another platform's optional package, or an optional peer
    seen.set(dir, name);
    const m = manifest(dir);
    for (const dep of Object.keys({ ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies })) visit(dep, dir);
  };
  for (const name of names) visit(name, from);
  return seen;
}

/** electron-builder's view of one build: the project's files and the production packages, filtered by `config`. */
export async function packagedApp(config: Record<string, unknown>, root: string): Promise<PackagedApp> {
  const expand = (s: string): string => s;
  const directories = (config['directories'] ?? {}) as { output?: string; buildResources?: string };
  const info = {
    config,
    projectDir: root,
    buildResourcesDir: path.resolve(root, directories.buildResources ?? 'build'),
    isPrepackedAppAsar: false,
    areNodeModulesHandledExternally: false,
    debugLogger: { isEnabled: false },
    appInfo: { type: 'module' },
    getWorkspaceRoot: () => Promise.resolve(root),
  };
  const platformPackager = { info, config, platform: { name: 'linux' } };
  const linux = (config['linux'] ?? {}) as Record<string, unknown>;
  const destination = path.join(root, '.packaged-app');
  const outDir = path.resolve(root, directories.output ?? 'dist');

  // The project's own files: the same matcher and walker electron-builder's computeFileSets uses.
  const appFiles: string[] = [];
  for (const matcher of fileMatcher.getMainFileMatchers(root, destination, expand, linux, platformPackager, outDir, false)) {
    const walker = new AppFileWalker(matcher, info);
    for (const file of await walk(matcher.from, walker.filter, walker)) if (!lstatSync(file).isDirectory()) appFiles.push(posix(path.relative(root, file)));
  }

  // Production packages: each walked by NodeModuleCopyHelper with the node-module matcher.
  const moduleMatcher = fileMatcher.getNodeModuleFileMatcher(root, destination, expand, linux, info);
  const excludedExts = ['.o', '.obj', ...fileMatcher.excludedExts.split(',').map((ext) => `.${ext}`), '.pdb', '.dll', '.exe'];
  const rootManifest = manifest(root);
  const packages: PackagedPackage[] = [];
  for (const [dir, name] of dependencyClosure(Object.keys({ ...rootManifest.dependencies, ...rootManifest.optionalDependencies }), root)) {
    const relative = posix(path.relative(root, dir));
    const matcher = new fileMatcher.FileMatcher(dir, path.join(destination, relative), expand, moduleMatcher.patterns);
    const copier = new NodeModuleCopyHelper(matcher, info);
    const files = (await copier.collectNodeModules({ dir, name }, excludedExts, relative)).map((file) => posix(path.relative(root, file)));
    packages.push({ name, dir: relative, files });
  }
  packages.sort((a, b) => a.dir.localeCompare(b.dir));
  appFiles.sort();
  const files = [...appFiles, ...packages.flatMap((p) => p.files)];
  const bytes = files.reduce((sum, file) => sum + statSync(path.join(root, file)).size, 0);
  return { appFiles, packages, files, bytes };
}

/** Module specifiers a JavaScript file loads: static and dynamic imports, re-exports, require, require.resolve and createRequire(…)(…) with a literal (template literals without substitutions too). */
export function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const callee = node.expression;
      const isRequire = (e: ts.Expression): boolean => (ts.isIdentifier(e) && e.text === 'require') || ts.isCallExpression(e); // require, createRequire(…)
      const loads = callee.kind === ts.SyntaxKind.ImportKeyword || isRequire(callee);
      // require.resolve('pkg/file'): a package read from disk (data, a worker script) is needed as much as an imported one.
      const resolves = ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' && isRequire(callee.expression);
      if (loads || resolves) found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The package name of a bare specifier ('@scope/name/x' → '@scope/name'), or undefined for relative, node: and built-ins. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || isBuiltin(specifier)) return undefined;
  return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
}

/** The packaged JavaScript the app runs in Node (main process, engine host, preload): not the browser bundles. */
export function packagedNodeScripts(app: PackagedApp): string[] {
  return app.appFiles.filter((file) => /\.(c|m)?js$/.test(file) && !file.startsWith('dist/renderer/') && !file.endsWith('.bundle.js'));
}

/** Each folder below `dir` (for size reports): bytes of packaged files under it. */
export function bytesUnder(app: PackagedApp, root: string, prefixes: string[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const prefix of prefixes) sizes[prefix] = app.files.filter((f) => f.startsWith(prefix)).reduce((sum, f) => sum + statSync(path.join(root, f)).size, 0);
  return sizes;
}
