import { RpaError } from '../errors.js';

/** The vault cannot do what was asked: bad name or value, missing or wrong key, damaged data. */
export class VaultError extends RpaError {}
