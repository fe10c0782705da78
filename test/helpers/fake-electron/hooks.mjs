// Module resolution hooks for register.mjs.
const FAKES = {
  electron: new URL('./electron.mjs', import.meta.url).href,
  'electron-updater': new URL('./electron-updater.mjs', import.meta.url).href,
};

export async function resolve(specifier, context, nextResolve) {
  if (Object.hasOwn(FAKES, specifier)) return { url: FAKES[specifier], shortCircuit: true };
  return nextResolve(specifier, context);
}
