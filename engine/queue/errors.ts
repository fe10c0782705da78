// Errors of the work queue. All are RpaErrors, so they cross process boundaries by name.
import { RpaError } from '../errors.js';

/**
 * complete()/fail() with a token that no longer holds the item: wrong token, lease ran
 * out, or another worker took the item over. Nothing was changed; the caller must not
 * assume its work on the item counts.
 */
export class LeaseLostError extends RpaError {}

/** No item with that id. */
export class QueueItemNotFoundError extends RpaError {}

/** The item is not in a state that allows the operation (e.g. retry() of a done item). */
export class QueueStateError extends RpaError {}
