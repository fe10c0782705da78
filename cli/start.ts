// `npm start`: launches the Electron app; where Electron cannot start (its binary is not
// installed, or there is no display) says why and serves the studio in the browser instead,
// with the bundled demo system running and the example automations ready.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const MAIN = fileURLToPath(new URL('../electron/main.js', import.meta.url));

function electronBinary(): { path?: string; why?: string } {
  try {
    // The electron package exports the binary's path, and throws when the binary was never downloaded.
    return { path: require('electron') as string };
  } catch (error) {
    return { why: `Electron is not installed (${(error as Error).message.split('\n')[0]})` };
  }
}

const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
if (binary.path && !noDisplay) {
  const child = spawn(binary.path, [MAIN], { stdio: 'inherit' });
  child.on('exit', (code) => (process.exitCode = code ?? 0));
} else {
  console.log(`${binary.why ?? 'There is no display (DISPLAY is not set)'}; serving the studio in your browser instead.`);
  const { main } = await import('./commands/studio.js');
  process.exitCode = await main(['--demo', ...process.argv.slice(2)]);
}
