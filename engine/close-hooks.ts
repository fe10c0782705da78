// Resources that heavy, lazily loaded modules open (OCR workers, for example) register here
// when they open them, so Engine.close() ends them without importing those modules up front.
const hooks = new Set<() => Promise<unknown>>();

export function onEngineClose(hook: () => Promise<unknown>): void {
  hooks.add(hook);
}

export async function runCloseHooks(): Promise<void> {
  const pending = [...hooks];
  hooks.clear();
  await Promise.allSettled(pending.map((hook) => hook()));
}
