// The `rpa` command's dispatch: one thin file per sub-command over the engine API, loaded only
// when that command runs. cli/rpa.ts is the executable around it.
import { AutomationInvalidError, MissingInputError, MissingSecretError, UsageError } from '../engine/errors.js';
import { DatabaseTooNewError } from '../engine/store/migrate.js';
import { DesktopUnavailableError } from '../engine/desktop/preflight.js';
import { PackageInvalidError } from '../engine/package/errors.js';
import { PolicyInvalidError, PolicyViolationError } from '../engine/policy/policy.js';
import { VaultError } from '../engine/vault/errors.js';
import { APP_VERSION } from '../engine/version.js';
import { closest, commandHelp, topHelp, withSubCommandGuess, type CommandName } from './usage.js';

const COMMANDS: Record<CommandName, () => Promise<{ main(args: string[]): Promise<number> }>> = {
  run: () => import('./commands/run.js'),
  record: () => import('./commands/record.js'),
  validate: () => import('./commands/validate.js'),
  runs: () => import('./commands/runs.js'),
  agent: () => import('./commands/agent.js'),
  enroll: () => import('./commands/enroll.js'),
  sync: () => import('./commands/sync.js'),
  export: () => import('./commands/export.js'),
  heal: () => import('./commands/heal.js'),
  show: () => import('./commands/show.js'),
  schedule: () => import('./commands/schedule.js'),
  queue: () => import('./commands/queue.js'),
  templates: () => import('./commands/templates.js'),
  reviews: () => import('./commands/reviews.js'),
  review: () => import('./commands/review.js'),
  secret: () => import('./commands/secret.js'),
  studio: () => import('./commands/studio.js'),
  pack: () => import('./commands/pack.js'),
  sign: () => import('./commands/sign.js'),
  verify: () => import('./commands/verify.js'),
  policy: () => import('./commands/policy.js'),
  keygen: () => import('./commands/keygen.js'),
};

export const EXIT = { passed: 0, failed: 1, invalid: 2, packageInvalid: 3, policy: 4, paused: 5, cancelled: 130 } as const;

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

/** `--help` or `-h` among a command's own arguments (not after `--`). */
function asksForHelp(args: string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Runs one `rpa` command line (without `rpa` itself) and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(APP_VERSION);
    return EXIT.passed;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const about = args[0];
    if (name === 'help' && about !== undefined && isCommand(about)) {
      console.log(commandHelp(about));
      return EXIT.passed;
    }
    console.log(topHelp(APP_VERSION));
    // Bare `rpa` is a usage mistake (exit 2), as with npm; asking for help is not.
    return name ? EXIT.passed : EXIT.invalid;
  }
  if (!isCommand(name)) {
    const guess = closest(name.replace(/^-+/, ''), Object.keys(COMMANDS));
    console.error(`rpa: unknown command "${name}"${guess ? ` — did you mean "rpa ${guess}"?` : ''}\nRun rpa --help for the list of commands.`);
    return EXIT.invalid;
  }
  if (asksForHelp(args)) {
    console.log(commandHelp(name));
    return EXIT.passed;
  }
  try {
    return await (await COMMANDS[name]()).main(args);
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
    if (error instanceof UsageError) {
      console.error(`rpa ${name}: ${withSubCommandGuess(name, error.message)}`);
      return EXIT.invalid;
    }
    if (error instanceof MissingInputError || error instanceof MissingSecretError || error instanceof VaultError || error instanceof DatabaseTooNewError || error instanceof DesktopUnavailableError) {
      console.error(`rpa ${name}: ${error.message}`);
      return EXIT.invalid;
    }
    console.error(`rpa ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

