#!/usr/bin/env node
// The `rpa` command: one thin file per sub-command over the engine API.
import { AutomationInvalidError, MissingInputError, MissingSecretError, UsageError } from '../engine/errors.js';
import { DatabaseTooNewError } from '../engine/store/migrate.js';
import { DesktopUnavailableError } from '../engine/desktop/preflight.js';
import { PackageInvalidError } from '../engine/package/errors.js';
import { PolicyInvalidError, PolicyViolationError } from '../engine/policy/policy.js';
import { VaultError } from '../engine/vault/errors.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ main(args: string[]): Promise<number> }> }> = {
  run: { summary: 'run FILE [--input k=v ...] [--headed] [--json]   run an automation', load: () => import('./commands/run.js') },
  record: { summary: 'record [URL] [--out FILE] [--id ID] [--name NAME]  record what you do in the browser into an automation', load: () => import('./commands/record.js') },
  validate: { summary: 'validate FILE...                                check automations without running them', load: () => import('./commands/validate.js') },
  runs: { summary: 'runs [--last N] [--json]                        list recent runs', load: () => import('./commands/runs.js') },
  agent: { summary: 'agent [--config FILE] | agent status             run schedules, folder triggers and queues unattended', load: () => import('./commands/agent.js') },
  enroll: { summary: 'enroll SERVER_URL TOKEN                         register this machine with the audit server', load: () => import('./commands/enroll.js') },
  sync: { summary: 'sync status | sync now | sync verify            audit log upload: pending, upload now, prove the server kept it', load: () => import('./commands/sync.js') },
  export: { summary: 'export FILE --to playwright [--out OUT.ts]      a standalone playwright-core TypeScript script of an automation', load: () => import('./commands/export.js') },
  heal: { summary: 'heal FILE --run RUN_ID [--yes]                 write the locators a run healed back into the automation file', load: () => import('./commands/heal.js') },
  show: { summary: 'show RUN_ID                                     steps, durations, failures and artifacts of a run', load: () => import('./commands/show.js') },
  schedule: { summary: 'schedule add|list|remove|pause|resume ...       run automations on a cron schedule (see rpa schedule)', load: () => import('./commands/schedule.js') },
  queue: { summary: 'queue add|list|show|retry|group|grant …         durable work queues: add items, inspect, retry failed ones; device groups', load: () => import('./commands/queue.js') },
  templates: { summary: 'templates [--json] | show|export|import|remove …  layout templates learned from reviewers\' corrections', load: () => import('./commands/templates.js') },
  reviews: { summary: 'reviews [--json] [--all] | reviews export --jsonl FILE   open human review tasks; labelled examples', load: () => import('./commands/reviews.js') },
  review: { summary: 'review ID --approve | --set f=v ... | --reject "why"   resolve a review; the paused run resumes', load: () => import('./commands/review.js') },
  secret: { summary: 'secret set NAME | list | remove NAME            keep credentials in the encrypted vault (value from stdin)', load: () => import('./commands/secret.js') },
  studio: { summary: 'studio [--port N] [--no-open] [--workspace DIR]  the studio UI in your browser (127.0.0.1, session token)', load: () => import('./commands/studio.js') },
  pack: { summary: 'pack DIR [--out FILE] [--automation REL]        one .rpapkg of an automation, its images and files', load: () => import('./commands/pack.js') },
  sign: { summary: 'sign PACKAGE --key KEYFILE [--signer NAME]      sign a package with a publisher key (Ed25519)', load: () => import('./commands/sign.js') },
  verify: { summary: 'verify PACKAGE [--trust PUBFILE ...] [--json]   check a package\'s files, signature and publisher (exit 3 if not)', load: () => import('./commands/verify.js') },
  policy: { summary: 'policy [--json] | policy check FILE              the machine policy in effect, each setting with its source', load: () => import('./commands/policy.js') },
  keygen: { summary: 'keygen --out PREFIX                             a publisher key pair: PREFIX (private, 0600) and PREFIX.pub', load: () => import('./commands/keygen.js') },
};

export const EXIT = { passed: 0, failed: 1, invalid: 2, packageInvalid: 3, policy: 4, paused: 5, cancelled: 130 } as const;

function usage(): string {
  return [
    'usage: rpa <command> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  rpa ${c.summary}`),
    '',
    'Environment: RPA_HOME (data folder), RPA_BROWSER (browser executable), RPA_SECRET_<NAME> (secret values, after the vault), RPA_VAULT_KEY (base64 of 32 bytes; else <RPA_HOME>/vault.key).',
    'Exit codes: 0 passed, 1 failed, 2 invalid automation or usage, 3 package damaged, tampered, unsigned or untrusted, 4 refused by the machine policy (or the policy is invalid), 5 paused for a human review, 130 cancelled.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? EXIT.passed : EXIT.invalid;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`rpa: unknown command "${name}"\n\n${usage()}`);
    return EXIT.invalid;
  }
  try {
    return await (await command.load()).main(args);
  } catch (error) {
    if (error instanceof AutomationInvalidError) {
      console.error(`invalid automation:\n${error.issues.map((i) => `  ${i.path ? `${i.file}: ${i.path}: ${i.message}` : `${i.file}: ${i.message}`}`).join('\n')}`);
      return EXIT.invalid;
    }
    if (error instanceof PackageInvalidError) {
      console.error(`rpa ${name}: ${error.message}`);
      return EXIT.packageInvalid;
    }
    // The machine policy forbids it, or the policy is invalid (fail closed): nothing ran.
    if (error instanceof PolicyInvalidError || error instanceof PolicyViolationError) {
      console.error(`rpa ${name}: ${error.message}`);
      return EXIT.policy;
    }
    // Nothing ran: a bad call, a missing input or secret, a vault key that is wrong or unusable,
    // a store from a newer version, no display.
    if (error instanceof UsageError || error instanceof MissingInputError || error instanceof MissingSecretError || error instanceof VaultError || error instanceof DatabaseTooNewError || error instanceof DesktopUnavailableError) {
      console.error(`rpa ${name}: ${error.message}`);
      return EXIT.invalid;
    }
    console.error(`rpa ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

process.exitCode = await main(process.argv.slice(2));
