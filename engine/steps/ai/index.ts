// The ai.* and human.review handlers, wired to the document reader that read.document uses.
import { readDocument } from '../../documents/read-document.js';
import { extractHandler } from './extract.js';

export { ask } from './ask.js';
export { classify } from './classify.js';
export { humanReview } from './human-review.js';

export const aiExtract = extractHandler((file, signal) => readDocument(file, { signal }));
