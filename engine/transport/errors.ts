// Errors of the studio API that map to HTTP statuses (and cross IPC the same way).
import { RpaError } from '../errors.js';

/** A request that does not match its schema (HTTP 400). */
export class RequestInvalidError extends RpaError {}
/** An automation, run, schedule or artifact that does not exist (HTTP 404). */
export class NotFoundError extends RpaError {}
/** A capability this build or machine lacks, e.g. the recorder (HTTP 501). */
export class NotAvailableError extends RpaError {}
/** The request is valid but clashes with the current state, e.g. a second recording (HTTP 409). */
export class ConflictError extends RpaError {}
