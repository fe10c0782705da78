// The closing list of failed tests that scripts/test-files.mjs prints after every file has run:
// one entry per failed test, with its file, its name and the first lines of its error.

const MAX_ERROR_LINES = 12;

/** The error of a failed test as text: a test's failure wraps the thrown error in `cause`. */
function errorText(error) {
  if (error === undefined || error === null) return '(no error given)';
  const inner = error.cause ?? error;
  const text = inner instanceof Error ? (inner.stack ?? `${inner.name}: ${inner.message}`) : String(inner?.message ?? inner);
  const lines = text.split('\n');
  return lines.length > MAX_ERROR_LINES ? [...lines.slice(0, MAX_ERROR_LINES), `… (${lines.length - MAX_ERROR_LINES} more lines)`].join('\n') : text;
}

/**
 * The summary block for the given `test:fail` events' data ({ name, file, nesting, details }).
 * Plain text, marked so that it cannot be taken for TAP: every line starts with '#'.
 */
export function failureSummary(failures) {
  const out = [`# ${failures.length} failed test${failures.length === 1 ? '' : 's'}:`];
  failures.forEach((failure, i) => {
    out.push(`# ${i + 1}. ${failure.file ?? '(no file)'} › ${failure.name}`);
    for (const line of errorText(failure.details?.error).split('\n')) out.push(`#      ${line}`);
  });
  return `${out.join('\n')}\n`;
}
