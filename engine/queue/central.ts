// A central queue for this machine: the server's work queues, reached with the token this
// machine got when it enrolled with that server (sync.json). A queue on another server than the
// one the machine is enrolled with has no credentials here: that is said, not guessed around.
import type { RpaHome } from '../home.js';
import { UsageError } from '../errors.js';
import { normalizeUrl } from '../policy/effective.js';
import { readSyncConfig } from '../sync/sync-client.js';
import { RemoteWorkQueue } from './remote-work-queue.js';

export function openCentralQueue(home: RpaHome, serverUrl: string): RemoteWorkQueue {
  let wanted: string;
  try {
    wanted = normalizeUrl(serverUrl);
  } catch {
    throw new UsageError(`queue server "${serverUrl}" is not a URL: expected e.g. https://control.example.com:4790`);
  }
  const sync = readSyncConfig(home);
  if (!sync) throw new UsageError(`this machine is not enrolled with ${wanted}: a central queue needs the device token of enrollment (rpa enroll ${wanted} ENROLLMENT_TOKEN)`);
  if (normalizeUrl(sync.serverUrl) !== wanted) {
    throw new UsageError(`this machine is enrolled with ${sync.serverUrl}, not ${wanted}: its token is good only there. Use queue server ${sync.serverUrl}, or enroll with ${wanted}`);
  }
  return new RemoteWorkQueue({ serverUrl: sync.serverUrl, token: sync.deviceToken });
}
