// node --import ./register.mjs: `electron` and `electron-updater` resolve to the fakes beside
// this file, so the Electron main process (dist/electron/main.js) runs under plain Node. The
// Electron binary cannot run on these machines; everything else (the engine host, the store,
// the socket, the audit server) stays real.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
