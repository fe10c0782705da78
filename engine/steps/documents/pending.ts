// Placeholder handlers while the document and model steps are being built (this session).
import type { StepHandler } from '../../runner/step-context.js';

export const notYet: StepHandler = (step) => Promise.reject(new Error(`step kind "${step.kind}" is not available yet`));
