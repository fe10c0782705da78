// How a person is told which step of a run something happened at: "step 2 (read the invoice
// total)" — the step's number in the automation's list, as the studio numbers it, and its label
// (the step's own name, or what it does: the engine's describeStep, carried by every step.started
// event and so by its signed audit record). Never the runner's internal path ("5[3].2.try.1"):
// the tray, its notifications and the audit console all name steps through this one function.
// Plain code with no Node, DOM or import, so the renderer bundles it and the console loads it as is.

/** What is known of a step: its runner path, and when its step.started was seen, its label and top-level number. */
export interface StepRef {
  path?: string | undefined;
  label?: string | undefined;
  topIndex?: number | undefined;
}

/** The top-level step number a runner path starts with ("5[3].2.try.1" → 5, "3>2" → 3), if it is one. */
export function topIndexOfPath(path: string): number | undefined {
  const match = /^(\d+)/.exec(path);
  const index = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(index) && index >= 1 ? index : undefined;
}

/** The loop passes a path lies in, outermost first ("5[3].2[1]" → [3, 1]). */
function passesOf(path: string): number[] {
  return [...path.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
}

/**
 * "step 2 (read the invoice total)" for a top-level step; "step 5, pass 3 (click Save)" for a
 * step inside step 5 (on its loop's third pass); "a step inside step 5" when no label is known;
 * "a step" when not even the path says which. Never the internal path.
 */
export function stepName(step: StepRef): string {
  const path = typeof step.path === 'string' ? step.path : '';
  const top = typeof step.topIndex === 'number' && step.topIndex >= 1 ? step.topIndex : topIndexOfPath(path);
  const nested = path !== '' && !/^\d+$/.test(path);
  const label = typeof step.label === 'string' && step.label.trim() ? step.label.trim() : undefined;
  if (top === undefined) return label ? `the step “${label}”` : 'a step';
  const passes = passesOf(path);
  const where = `step ${top}${passes.length ? `, pass ${passes.join('.')}` : ''}`;
  if (label) return `${where} (${label})`;
  return nested ? `a step inside ${where}` : where;
}

/** A runner path as it appears in the engine's messages: "step 5[3].2.try.1", "step 3>2", "step 4". */
const PATH_IN_TEXT = /\bstep (\d+(?:(?:\[\d+\]|[.>](?:\w+))+)?)(?: \(([^()\n]*)\))?/g;

/**
 * `text` (an error or log message from the engine) with every "step <path>" named as stepName
 * names it: the label in the message itself, else the one `labelOf` knows for that path.
 */
export function withStepNames(text: string, labelOf: (path: string) => StepRef | undefined = () => undefined): string {
  return text.replace(PATH_IN_TEXT, (_whole, path: string, inMessage: string | undefined) => {
    const known = labelOf(path);
    return stepName({ path, label: inMessage ?? known?.label, topIndex: known?.topIndex });
  });
}
