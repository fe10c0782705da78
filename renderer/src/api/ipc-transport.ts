// The transport inside the Electron shell: the preload bridge (electron/preload.cts) exposes
// window.rpa, which forwards calls to the engine's utility process over validated IPC.
import { ApiError, type Method, type Pushed, type RequestOf, type ResponseOf, type Transport } from './transport.js';

/** What electron/preload.cts exposes through contextBridge. */
export interface RpaBridge {
  call(method: string, request: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: { name: string; message: string; details?: Record<string, unknown> } }>;
  onPushed(listener: (message: unknown) => void): () => void;
  artifact(runId: string, name: string): Promise<Uint8Array>;
}

declare global {
  interface Window {
    rpa?: RpaBridge;
  }
}

export class IpcTransport implements Transport {
  constructor(private readonly bridge: RpaBridge) {}

  async call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
    const answer = await this.bridge.call(method, request);
    if (!answer.ok) throw new ApiError(answer.error.name, answer.error.message, answer.error.details);
    return answer.value as ResponseOf<M>;
  }

  subscribe(listener: (message: Pushed) => void): () => void {
    return this.bridge.onPushed((message) => listener(message as Pushed));
  }

  async artifactUrl(runId: string, name: string): Promise<string> {
    const bytes = await this.bridge.artifact(runId, name);
    const type = name.endsWith('.png') ? 'image/png' : 'application/octet-stream';
    return URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  }
}
