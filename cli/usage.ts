// Usage of every `rpa` command, kept once: `rpa --help` lists the summaries, `rpa CMD --help`
// prints the command's usage, each command's usage errors quote the same text, and mistyped
// commands and flags are matched against it ("did you mean …").

export interface CommandUsage {
  /** One line for the command list. */
  summary: string;
  /** The synopsis, one line per form. */
  usage: string[];
  /** More to know: lines printed under the synopsis by `rpa CMD --help`. */
  notes?: string[];
}

export const USAGES = {
  run: {
    summary: 'run an automation',
    usage: ['rpa run FILE [--input name=value ...] [--headed] [--json] [--wait-review]'],
    notes: ['--input (-i) gives an input; --headed shows the browser; --json prints run events as JSON lines;', '--wait-review waits here for a human review instead of pausing the run (exit 5)'],
  },
  record: {
    summary: 'record what you do in the browser (or on the desktop) into an automation',
    usage: ['rpa record [URL] [--out FILE] [--id ID] [--name NAME]', 'rpa record --desktop [--out FILE] [--id ID] [--name NAME] [--launch "PROGRAM ARGS…"] [--secret NAME …]'],
  },
  validate: { summary: 'check automations without running them', usage: ['rpa validate FILE...'] },
  runs: { summary: 'list recent runs', usage: ['rpa runs [--last N] [--json]'] },
  show: { summary: 'steps, durations, failures and artifacts of a run', usage: ['rpa show RUN_ID [--json]'] },
  agent: {
    summary: 'run schedules, folder triggers and queues unattended',
    usage: ['rpa agent [--config FILE] [--home DIR]', 'rpa agent status [--json]', 'rpa agent install-service [--kind systemd|autostart|launchagent|runkey] [--dir DIR]'],
  },
  enroll: { summary: 'register this machine with the audit server', usage: ['rpa enroll SERVER_URL ENROLLMENT_TOKEN [--force]', 'rpa enroll --policy'] },
  sync: { summary: 'audit log upload: pending, upload now, prove the server kept it', usage: ['rpa sync status [--json]', 'rpa sync now', 'rpa sync verify [--json]'] },
  export: { summary: 'a standalone playwright-core TypeScript script of an automation', usage: ['rpa export FILE --to playwright [--out OUT.ts]'] },
  heal: { summary: 'write the locators a run healed back into the automation file', usage: ['rpa heal FILE --run RUN_ID [--yes]'] },
  schedule: {
    summary: 'run automations on a cron schedule',
    usage: [
      'rpa schedule add FILE --cron "EXPR" [--tz ZONE] [--input k=v ...] [--overlap skip|queue|allow] [--max-concurrent N] [--missed run-once|skip] [--max-run DURATION] [--name NAME]',
      'rpa schedule list [--json]',
      'rpa schedule remove|pause|resume ID',
    ],
  },
  queue: {
    summary: 'durable work queues: add items, inspect, retry failed ones; device groups',
    usage: [
      'rpa queue add QUEUE [--data JSON | --csv FILE] [--key KEY] [--max-retries N] [--priority N] [--json]',
      'rpa queue list [QUEUE] [--state STATE] [--limit N] [--json]',
      'rpa queue show ID [--json]',
      'rpa queue retry ID',
      'rpa queue group list --server URL [--json]',
      'rpa queue group create GROUP --server URL',
      'rpa queue group add GROUP DEVICE_ID... --server URL',
      'rpa queue group remove GROUP DEVICE_ID... --server URL',
      'rpa queue grant QUEUE (--device DEVICE_ID | --group GROUP) --server URL',
      'rpa queue revoke QUEUE (--device DEVICE_ID | --group GROUP) --server URL',
    ],
    notes: [
      "--csv adds one item per row (header row = field names); with --csv, --key names the column holding each row's key.",
      "Every sub-command takes --server URL: the central queue on that control server (with this machine's enrolled token,",
      "or RPA_SERVER_TOKEN — e.g. an admin's or auditor's — when set). Device groups and grants live on the control server",
      "(RPA_SERVER_TOKEN: an admin token; an auditor's may list): every device in a group may add to and work each queue granted to the group.",
    ],
  },
  templates: {
    summary: "layout templates learned from reviewers' corrections",
    usage: ['rpa templates [--json]', 'rpa templates show ID [--version N]', 'rpa templates export ID [--out FILE]', 'rpa templates import FILE', 'rpa templates remove ID'],
  },
  reviews: { summary: 'open human review tasks; labelled examples', usage: ['rpa reviews [--json] [--all]', 'rpa reviews export --jsonl FILE'] },
  review: {
    summary: 'resolve a review; the paused run resumes',
    usage: ['rpa review ID --approve | --set field=value ... | --reject "reason" [--by NAME] [--no-resume] [--json]', 'rpa review --resume RUN_ID'],
  },
  secret: { summary: 'keep credentials in the encrypted vault', usage: ['rpa secret set NAME      (value from stdin, or a hidden prompt)', 'rpa secret list [--json]', 'rpa secret remove NAME'] },
  studio: { summary: 'the studio UI in your browser (127.0.0.1, session token)', usage: ['rpa studio [--port N] [--no-open] [--workspace DIR] [--demo]'] },
  pack: { summary: 'one .rpapkg of an automation, its images and files', usage: ['rpa pack DIR [--out FILE.rpapkg] [--automation REL_PATH]'] },
  sign: { summary: 'sign a package with a publisher key (Ed25519)', usage: ['rpa sign PACKAGE --key KEYFILE [--signer NAME]'] },
  verify: { summary: "check a package's files, signature and publisher (exit 3 if not)", usage: ['rpa verify PACKAGE [--trust PUBLIC_KEY_FILE ...] [--require-signature] [--json]'] },
  policy: { summary: 'the machine policy in effect, each setting with its source', usage: ['rpa policy [show] [--json]', 'rpa policy check FILE'] },
  keygen: { summary: 'a publisher key pair: PREFIX (private, 0600) and PREFIX.pub', usage: ['rpa keygen --out PREFIX'] },
} as const satisfies Record<string, CommandUsage>;

export type CommandName = keyof typeof USAGES;

export const ENVIRONMENT =
  'Environment: RPA_HOME (data folder), RPA_BROWSER (browser executable), RPA_SECRET_<NAME> (secret values, after the vault), RPA_VAULT_KEY (base64 of 32 bytes; else <RPA_HOME>/vault.key).';
export const EXIT_CODES =
  'Exit codes: 0 passed, 1 failed, 2 invalid automation or usage, 3 package damaged, tampered, unsigned or untrusted, 4 refused by the machine policy (or the policy is invalid), 5 paused for a human review, 130 cancelled.';

/** The synopsis of a command as usage errors quote it: its forms, one per line. */
export function usageOf(name: CommandName): string {
  return USAGES[name].usage.join('\n       ');
}

/** What `rpa CMD --help` prints. */
export function commandHelp(name: CommandName): string {
  const entry: CommandUsage = USAGES[name];
  return [`rpa ${name}: ${entry.summary}`, '', `usage: ${usageOf(name)}`, ...(entry.notes?.length ? ['', ...entry.notes] : []), '', EXIT_CODES].join('\n');
}

/** What `rpa --help` prints: every command and its summary in aligned columns. */
export function topHelp(version: string): string {
  const names = Object.keys(USAGES) as CommandName[];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return [
    `rpa ${version} — record, run and audit automations`,
    '',
    'usage: rpa <command> [options]     rpa <command> --help     rpa --version',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}${USAGES[n].summary}`),
    '',
    ENVIRONMENT,
    EXIT_CODES,
  ].join('\n');
}

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest of `choices` to a mistyped `word`, when one is close enough to be what was meant. */
export function closest(word: string, choices: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { choice: string; score: number } | undefined;
  for (const choice of choices) {
    // A prefix of at least 3 letters ("sched") names its command.
    const score = choice.startsWith(lower) && lower.length >= 3 ? 0.5 : distance(lower, choice);
    if (!best || score < best.score) best = { choice, score };
  }
  if (!best) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(lower.length, best.choice.length) / 3));
  return best.score <= allowed ? best.choice : undefined;
}

/** The flags a usage text names (`--input`, `--wait-review` …). */
export function flagsIn(usage: string): string[] {
  return [...new Set(usage.match(/--[a-z][a-z0-9-]*/g) ?? [])];
}

/** The sub-commands a command's usage names (`rpa schedule add|list|…`). */
export function subCommandsOf(name: CommandName): string[] {
  const words = USAGES[name].usage.flatMap((form) => (form.split(/\s+/)[2] ?? '').replace(/[[\]]/g, '').split('|'));
  return [...new Set(words.filter((w) => /^[a-z][a-z-]*$/.test(w)))];
}

/** A usage error's message with "did you mean" added to an unknown sub-command, when one is close. */
export function withSubCommandGuess(name: CommandName, message: string): string {
  return message.replace(/^unknown sub-command "([^"]+)"/, (whole, typed: string) => {
    const guess = closest(typed, subCommandsOf(name));
    return guess ? `${whole} — did you mean "rpa ${name} ${guess}"?` : whole;
  });
}
