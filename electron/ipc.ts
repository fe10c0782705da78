// The one IPC entry point of the main process: every handler checks the sender (the top frame
// of one of our app:// pages), the channel's arguments and the method name before the engine
// host sees anything.
import { ipcMain, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { API } from '../engine/transport/messages.js';
import { Channel, type HostMessage } from './channels.js';
import { isAppUrl } from './protocol.js';

type Answer = Extract<HostMessage, { id: number }>;

export interface EngineRequests {
  request(request: { method: string; request: unknown } | { artifact: { runId: string; name: string } }): Promise<Answer>;
}

/** True when a message comes from the top frame of our own renderer page: no subframe, no other origin, no file://. */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  if (!frame) return false; // the frame navigated away or was destroyed
  return frame.parent === null && isAppUrl(frame.url);
}

export function setupIpc(engine: EngineRequests): void {
  const trusted = (event: IpcMainInvokeEvent): boolean => isTrustedSender(event.senderFrame);
  ipcMain.handle(Channel.call, async (event, method: unknown, request: unknown) => {
    if (!trusted(event)) return { ok: false, error: { name: 'ForbiddenError', message: 'IPC from an unknown page refused' } };
    if (typeof method !== 'string' || !Object.hasOwn(API, method)) return { ok: false, error: { name: 'RequestInvalidError', message: `unknown API method ${String(method)}` } };
    return await engine.request({ method, request });
  });
  ipcMain.handle(Channel.artifact, async (event, runId: unknown, name: unknown) => {
    if (!trusted(event)) throw new Error('IPC from an unknown page refused');
    if (typeof runId !== 'string' || typeof name !== 'string') throw new Error('runId and name must be strings');
    const answer = await engine.request({ artifact: { runId, name } });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value;
  });
}
