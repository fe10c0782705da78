// Typed errors of model calls. Output a model got wrong and transient endpoint trouble are
// worth retrying; policy refusals and configuration mistakes are not.
import { BusinessError, RpaError, UsageError } from '../errors.js';

/** The model answered, but not with JSON that fits the schema. Retryable. */
export class ModelOutputError extends RpaError {}
/** The endpoint failed (429, 5xx, timeout, connection) after every retry, or refused the request (4xx). */
export class ModelCallError extends RpaError {}
/** Policy refused the call before anything left the machine: an endpoint not allowed. */
export class EndpointNotAllowedError extends UsageError {}
/** The PII policy is "refuse" and the request contains personal data. Not retryable: the data will not change. */
export class PiiRefusedError extends BusinessError {}
/** A provider named by a step is not configured, or cannot do what the step asks. */
export class ProviderConfigError extends UsageError {}
