// Why a bot was not run, in words for the staff member who clicked Run: the engine's message
// is written for builders and the CLI (it names the file, often a path inside a temporary or
// program folder); the tray says which rule refused the bot and what to do, and never shows a path.
import { ApiError } from '../api/transport.js';
import { errorText } from '../api/context.js';
import { withoutPaths } from '../../../engine/transport/without-paths.js';

/** Plain sentences for a policy rule that refused a bot, by the rule's name (details.rule). */
const POLICY_RULES: Record<string, (bot: string) => string> = {
  'automations.requireSigned': (bot) =>
    `“${bot}” was not run: this computer only runs bots that your automation team has signed, and this one is not signed. Ask your automation team for the signed version.`,
};

/** Plain sentences for a package that failed its check, by its problem (details.code of a PackageInvalidError). */
const PACKAGE_PROBLEMS: Record<string, (bot: string) => string> = {
  unsigned: (bot) => `“${bot}” was not run: this computer only runs signed bots, and this one is not signed. Ask your automation team for the signed version.`,
  untrusted: (bot) => `“${bot}” was not run: it is signed by a publisher this computer does not trust. Ask your automation team for a version signed by them.`,
  tampered: (bot) => `“${bot}” was not run: it was changed after it was signed. Ask your automation team for a fresh copy.`,
  damaged: (bot) => `“${bot}” was not run: its file is damaged. Ask your automation team for a fresh copy.`,
};

/** What the tray says when `runs.start` refused `bot` (undefined: nothing to say, e.g. an ended session). */
export function runRefusal(error: unknown, bot: string): string | undefined {
  if (error instanceof ApiError) {
    const rule = error.details?.['rule'];
    if (typeof rule === 'string' && POLICY_RULES[rule]) return POLICY_RULES[rule](bot);
    const code = error.details?.['code'];
    if (error.name === 'PackageInvalidError' && typeof code === 'string' && PACKAGE_PROBLEMS[code]) return PACKAGE_PROBLEMS[code](bot);
  }
  const text = errorText(error);
  return text === undefined ? undefined : `“${bot}” was not run: ${withoutPaths(text)}`;
}
