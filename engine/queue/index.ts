// Durable work queues: the contract and its SQLite implementation.
export * from './types.js';
export { LeaseLostError, QueueItemNotFoundError, QueueStateError } from './errors.js';
export { backoffMs, DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_CAP_MS, type BackoffOptions } from './backoff.js';
export { DEFAULT_MAX_RETRIES, SqliteWorkQueue, type SqliteWorkQueueOptions } from './sqlite-work-queue.js';
export { QueueServerError, RemoteWorkQueue, type RemoteWorkQueueOptions } from './remote-work-queue.js';
