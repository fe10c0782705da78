// withoutPaths: what staff read in place of a path (the file's own name), and what is not a path and
// must stay as written (web addresses, dates, "and/or", relative names).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../events.js';
import { noticeFor } from './notices.js';
import { staffReason, withoutPaths } from './without-paths.js';

const cases: [string, string, string][] = [
  // [what, message, what staff read]
  ['a POSIX path', 'cannot read /var/lib/rpa/runs/run_01/automation.json: no such file', 'cannot read automation.json: no such file'],
  ['a POSIX home dir', 'the bot in /home/anna/bots/invoice.json is not signed', 'the bot in invoice.json is not signed'],
  ['a macOS home dir', 'open /Users/anna/Library/rpa/policy.json failed', 'open policy.json failed'],
  ['a folder with a trailing slash', 'wrote nothing to /tmp/rpa-1234/out/', 'wrote nothing to out'],
  ['a path with a line and column', 'at /srv/app/engine/run.js:12:5', 'at run.js:12:5'],
  ['a path in brackets', 'the policy (/etc/rpa/policy.json) is invalid', 'the policy (policy.json) is invalid'],
  ['a path after a colon and space', 'policy file: /etc/rpa/policy.json', 'policy file: policy.json'],
  ['a path at the end of a sentence', 'Missing /data/in/claims.csv.', 'Missing claims.csv.'],
  ['a Windows path', String.raw`cannot open C:\Users\anna\bots\invoice.json`, 'cannot open invoice.json'],
  ['a lower-case drive', String.raw`c:\temp\rpa\report.csv is locked`, 'report.csv is locked'],
  ['a Windows path with forward slashes', 'cannot open C:/Users/anna/bots/invoice.json', 'cannot open invoice.json'],
  ['a UNC share', String.raw`\\fileserver\claims\2026\CLM-1.pdf was not found`, 'CLM-1.pdf was not found'],
  ['a tilde home', 'see ~/bots/invoice.json', 'see invoice.json'],
  ['$HOME', 'see $HOME/.rpa/vault.key', 'see vault.key'],
  ['%USERPROFILE%', String.raw`see %USERPROFILE%\rpa\vault.key`, 'see vault.key'],
  ['a double-quoted path with spaces', 'cannot read "/home/anna/My Bots/claim form.pdf"', 'cannot read "claim form.pdf"'],
  ['a single-quoted Windows path with spaces', String.raw`cannot read 'C:\Program Files\RPA Studio\policy.json'`, "cannot read 'policy.json'"],
  ['a path in typographic quotes', 'cannot read “/home/anna/My Bots/claim form.pdf”', 'cannot read “claim form.pdf”'],
  ['a file: URL', 'opened file:///home/anna/invoices/INV-1.pdf', 'opened INV-1.pdf'],
  ['a file: URL with a drive', 'opened file:///C:/Users/anna/INV-1.pdf', 'opened INV-1.pdf'],
  ['two paths', 'copy /tmp/a/x.csv to /home/anna/out/y.csv failed', 'copy x.csv to y.csv failed'],
];

const untouched: [string, string][] = [
  ['a web address', 'the portal https://portal.example.com/claims/2024/CLM-1 did not answer'],
  ['a web address with a port', 'GET http://127.0.0.1:4310/api/runs/run_01 failed'],
  ['a quoted web address', 'opened "https://example.com/a/b/c"'],
  ['an address without a scheme', 'see www.example.com/help/runs'],
  ['a date', 'the invoice of 2026/12/07 is late'],
  ['and/or', 'the amount and/or the date is missing'],
  ['a relative name', 'wrote out/report.csv and ./claims/x.csv'],
  ['a single name after a slash', 'the value /total was empty'],
  ['an apostrophe', "the bot's step 'Save' failed"],
  ['no path', 'Every step passed.'],
];

describe('withoutPaths', () => {
  for (const [what, message, shown] of cases) {
    it(`keeps only the file's name: ${what}`, () => assert.equal(withoutPaths(message), shown));
  }
  for (const [what, message] of untouched) {
    it(`leaves ${what} as written`, () => assert.equal(withoutPaths(message), message));
  }
});

describe('a failure reason staff read', () => {
  const message = 'cannot read "/home/anna/My Bots/claims.csv": no such file\n    at readCsv (/srv/rpa/engine/csv.js:10:3)';
  it('is the first line, without paths', () => assert.equal(staffReason(message), 'cannot read "claims.csv": no such file'));
  it('is what the notification of a failed run says', () => {
    const event = { type: 'run.finished', runId: 'run_1', seq: 9, ts: '2026-12-07T08:00:00.000Z', status: 'failed', durationMs: 10, outputs: {}, vars: {}, error: { name: 'Error', message } } as RunEvent;
    assert.equal(noticeFor(event, 'Claims import')?.body, 'cannot read "claims.csv": no such file');
  });
});
