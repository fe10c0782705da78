// npm run docs:screenshots — regenerates the tracked screenshots in docs/screenshots. Tests take
// their screenshots on every run but write them to a temporary folder; only this script, run on
// purpose, lets them write into docs/ (RPA_SCREENSHOTS=1). It runs the built test files that take
// screenshots, one at a time (run `npm run build` first). Name files to run only those:
//   npm run docs:screenshots -- studio-debugger tray
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
if (!existsSync(dist)) {
  console.error('docs:screenshots: no dist/ folder; run npm run build first');
  process.exit(2);
}

/** Built test files whose source takes screenshots for the docs. */
function screenshotTests() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(full);
      else if (entry.name.endsWith('.test.ts')) {
        const text = readFileSync(full, 'utf8');
        if (text.includes('screenshotPath(') || text.includes('RPA_SCREENSHOTS')) found.push(path.relative(root, full));
      }
    }
  };
  for (const top of ['test', 'server']) walk(path.join(root, top));
  return found.sort();
}

const wanted = process.argv.slice(2);
const files = screenshotTests().filter((file) => !wanted.length || wanted.some((w) => path.basename(file).startsWith(w)));
if (!files.length) {
  console.error(`docs:screenshots: no test file matches ${wanted.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  const built = path.join(dist, file.replace(/\.ts$/, '.js'));
  console.log(`\n▶ ${file}`);
  const result = spawnSync(process.execPath, ['--test', '--test-force-exit', '--test-timeout=600000', built], { cwd: root, stdio: 'inherit', env: { ...process.env, RPA_SCREENSHOTS: '1' } });
  if (result.status !== 0) failed++;
}
console.log(`\ndocs:screenshots: ${files.length - failed} of ${files.length} test files passed; screenshots are in docs/screenshots (check them before committing)`);
process.exit(failed ? 1 : 0);
