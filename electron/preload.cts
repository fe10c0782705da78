// The preload bridge: a small, typed API on window.rpa (see renderer/src/api/ipc-transport.ts).
// Sandboxed, so it imports nothing but electron; channel names as in channels.ts.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const CALL = 'rpa:call';
const ARTIFACT = 'rpa:artifact';
const PUSHED = 'rpa:pushed';

contextBridge.exposeInMainWorld('rpa', {
  call: (method: string, request: unknown): Promise<unknown> => {
    if (typeof method !== 'string') return Promise.reject(new TypeError('method must be a string'));
    return ipcRenderer.invoke(CALL, method, request);
  },
  artifact: (runId: string, name: string): Promise<Uint8Array> => ipcRenderer.invoke(ARTIFACT, String(runId), String(name)) as Promise<Uint8Array>,
  onPushed: (listener: (message: unknown) => void): (() => void) => {
    // The event object stays here: the page never gets ipcRenderer or the sender.
    const handler = (_event: IpcRendererEvent, message: unknown): void => listener(message);
    ipcRenderer.on(PUSHED, handler);
    return () => {
      ipcRenderer.removeListener(PUSHED, handler);
    };
  },
});
