// `npm start`: launches the Electron app; where Electron cannot start (its binary is not
// installed, or there is no display) says why and serves the studio in the browser instead,
// with the bundled demo system running and the example automations ready.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const MAIN = fileURLToPath(new URL('../electron/main.js', import.meta.url));

const NOT_HERE = 'The desktop app (Electron) is not available on this machine';

/**
 * The Electron binary, found the way the electron package finds it (path.txt names it inside
 * dist/), without requiring the package: `require('electron')` tries to download a missing
 * binary, which build machines cannot reach, and then prints a frightening install error.
 */
function electronBinary(env: NodeJS.ProcessEnv = process.env): { path?: string; why?: string } {
  let dir: string;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { why: `${NOT_HERE} (the electron package is not installed)` };
  }
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override ? path.join(override, relative || 'electron') : relative ? path.join(dir, 'dist', relative) : undefined;
  if (!binary || !existsSync(binary)) return { why: `${NOT_HERE} (its binary was not downloaded when it was installed)` };
  return { path: binary };
}

const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
if (binary.path && !noDisplay) {
  const child = spawn(binary.path, [MAIN], { stdio: 'inherit' });
  child.on('exit', (code) => (process.exitCode = code ?? 0));
} else {
  console.log(`${binary.why ?? 'There is no display here (DISPLAY is not set), so the desktop app cannot open a window'}: the studio opens in your browser instead.`);
  const { main } = await import('./commands/studio.js');
  process.exitCode = await main(['--demo', ...process.argv.slice(2)]);
}
