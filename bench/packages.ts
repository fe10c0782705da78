// bench/packages: what signed automation packages and the machine policy cost.
//
//   npx tsc -p tsconfig.json && node dist/bench/packages.js [--reps N]
//
// 1. pack / sign / verify (with a trust list) / first extract / cached extract of a package of
//    the invoice-intake example with the whole automations/examples folder it lives in (the
//    automations it calls, the invoice documents): real files, N repetitions each.
// 2. Side by side, in one run, alternating: `rpa run` (a process per run: spawn → exit) of the
//    same small automation as a plain JSON file with no policy, and as a signed package under a
//    policy that requires signatures from a trusted publisher. The ratio of medians is what
//    verification + policy add to a bot's start.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extractForRun, generateKeyPair, packDirectory, signPackage, verifyPackage } from '../engine/package/index.js';
import { EXAMPLES, RPA_JS, tempDir } from '../test/helpers/env.js';
import { round1, summarize, table } from './stats.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/packages.json', import.meta.url));
const { values } = parseArgs({ options: { reps: { type: 'string' } } });
const REPS = Number(values.reps ?? 30);
const loadBefore = os.loadavg().map(round1);

const time = (work: () => unknown): number => {
  const start = performance.now();
  work();
  return performance.now() - start;
};

// 1. Package operations on a real example folder.
const dir = tempDir('bench-packages');
const source = path.join(dir, 'examples');
cpSync(EXAMPLES, source, { recursive: true });
const keys = generateKeyPair(path.join(dir, 'coe'));
const privateKey = readFileSync(keys.privateKeyFile, 'utf8');
const publicKey = readFileSync(keys.publicKeyFile, 'utf8');
const trusted = [{ name: 'Automation CoE', publicKey }];
const file = path.join(dir, 'invoice-intake.rpapkg');

const samples = { pack: [] as number[], sign: [] as number[], verify: [] as number[], extractFirst: [] as number[], extractCached: [] as number[] };
let manifest: ReturnType<typeof packDirectory>['manifest'] | undefined;
for (let i = 0; i < REPS; i++) {
  samples.pack.push(time(() => (manifest = packDirectory(source, { out: file, automation: 'invoice-intake.json' }).manifest)));
  samples.sign.push(time(() => signPackage(file, privateKey, { signer: 'Automation CoE' })));
  samples.verify.push(time(() => verifyPackage(file, { trusted, requireSignature: true })));
  const cache = path.join(dir, `cache-${i}`);
  samples.extractFirst.push(time(() => extractForRun(file, { cacheDir: cache, requireSignature: true, trusted })));
  samples.extractCached.push(time(() => extractForRun(file, { cacheDir: cache, requireSignature: true, trusted })));
  rmSync(cache, { recursive: true, force: true });
}
const packageBytes = readFileSync(file).length;
const files = manifest!.files.length;

// 2. rpa run: plain file, no policy vs signed package under a requireSigned policy.
const bot = { format: 1, id: 'bench.hello', name: 'Hello', version: '1.0.0', steps: [{ kind: 'log', message: 'hello' }, { kind: 'flow.set', var: 'x', value: 1 }], outputs: ['x'] };
const botDir = path.join(dir, 'hello');
mkdirSync(botDir);
writeFileSync(path.join(botDir, 'automation.json'), JSON.stringify(bot));
const botPackage = packDirectory(botDir, { out: path.join(dir, 'hello.rpapkg') }).file;
signPackage(botPackage, privateKey, { signer: 'Automation CoE' });
const policyFile = path.join(dir, 'policy.json');
writeFileSync(policyFile, JSON.stringify({ version: 1, automations: { requireSigned: true, trustedPublishers: trusted } }));

const runOnce = (target: string, extraEnv: Record<string, string>): number => {
  const start = performance.now();
  const result = spawnSync(process.execPath, [RPA_JS, 'run', target], { env: { ...process.env, RPA_HOME: path.join(dir, 'home'), NO_COLOR: '1', ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`rpa run ${target} exited ${result.status}: ${result.stderr.toString()}`);
  return ms;
};
const plain: number[] = [];
const signed: number[] = [];
runOnce(path.join(botDir, 'automation.json'), {});
runOnce(botPackage, { RPA_POLICY_FILE: policyFile });
for (let i = 0; i < Math.max(10, Math.floor(REPS / 2)); i++) {
  plain.push(runOnce(path.join(botDir, 'automation.json'), {}));
  signed.push(runOnce(botPackage, { RPA_POLICY_FILE: policyFile }));
}

const summary = {
  pack: summarize(samples.pack),
  sign: summarize(samples.sign),
  verifyTrusted: summarize(samples.verify),
  extractFirst: summarize(samples.extractFirst),
  extractCached: summarize(samples.extractCached),
  runPlainNoPolicy: summarize(plain),
  runSignedPackageWithPolicy: summarize(signed),
};
const ratio = Math.round((summary.runSignedPackageWithPolicy.median / summary.runPlainNoPolicy.median) * 1000) / 1000;
const report = {
  bench: 'packages',
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  loadAverage: { before: loadBefore, after: os.loadavg().map(round1) },
  package: { files, bytes: packageBytes },
  reps: REPS,
  ms: summary,
  runStartRatio: ratio,
};
mkdirSync(path.dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
rmSync(dir, { recursive: true, force: true });

console.log(`package: ${files} files, ${packageBytes} bytes; ${REPS} repetitions; load ${loadBefore.join(' ')}`);
console.log(table([['ms', 'n', 'median', 'p95', 'max'], ...Object.entries(summary).map(([name, s]) => [name, s.n, s.median, s.p95, s.max])]));
console.log(`rpa run of a signed package under policy vs a plain file without policy (median): ${ratio}×`);
