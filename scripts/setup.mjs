// npm run setup: a clean install from the lock file, then the build.
// Electron's install script downloads its binary from GitHub, which our build machines cannot
// reach, so setup skips it unless ELECTRON_SKIP_BINARY_DOWNLOAD is already set; `npm start`
// says so and serves the studio instead. Where GitHub is reachable,
// `node node_modules/electron/install.js` fetches the binary afterwards.
import { spawnSync } from 'node:child_process';

const npm = process.env.npm_execpath;
const env = { ...process.env };
if (env.ELECTRON_SKIP_BINARY_DOWNLOAD === undefined) env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';

function step(args) {
  const result = npm ? spawnSync(process.execPath, [npm, ...args], { stdio: 'inherit', env }) : spawnSync('npm', args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step(['ci']);
step(['run', 'build']);
