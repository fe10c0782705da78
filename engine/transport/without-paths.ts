// File-system paths taken out of a message before staff read it (the tray's failure reasons, refusals
// and notifications): a path names folders of the machine, the user's home, a temporary folder, none
// of which helps the person who clicked Run; the file's own name is kept, since "invoice.pdf" may.
// Plain string code with no Node or DOM, so the renderer, the notifications and the tests share it.

/** One name in a path: no separator, space, quote, bracket or list punctuation (":12" after a file is a line). */
const NAME = String.raw`[^\\/\s"'“”‘’\x60()<>|;,:*?]+`;

/** Where an absolute path starts: a drive, a UNC share, a home shorthand, or a file: URL. */
const ROOT = String.raw`(?:(?<![\w])[A-Za-z]:[\\/]|\\\\|(?<![\w])file:\/\/(?:localhost)?\/(?:[A-Za-z]:\/)?|(?<![\w~])~[\\/]|\$HOME[\\/]|%[A-Za-z_]+%[\\/])`;

/**
 * A path: a root then names, or a POSIX path of at least two names ("/home/anna"), starting where
 * no word, dot, colon or slash comes before its first slash, so the path part of a URL
 * ("https://host/a/b"), a date ("2026/12/07") and "and/or" are not paths.
 */
const UNQUOTED = new RegExp(String.raw`${ROOT}(?:${NAME}[\\/])*(${NAME})[\\/]?|(?<![\w.:/~%$\\-])\/(?:${NAME}\/)+(${NAME})\/?`, 'g');

/** A quoted path may hold spaces ("C:\Program Files\…", '/home/anna/My Bots/…'): the quotes say where it ends. */
const QUOTED = new RegExp(String.raw`(["'“‘\x60])((?:${ROOT}|\/)[^"'“”‘’\x60\n]*?)(["'”’\x60])`, 'g');

const STARTS_AS_PATH = new RegExp(String.raw`^(?:${ROOT}|\/[^/\s]+\/)`);

/** The last name of a path (a trailing separator ignored). */
function lastName(path: string): string {
  const names = path.split(/[\\/]/).filter(Boolean);
  return names[names.length - 1] ?? path;
}

/** `text` with every absolute file path (POSIX, Windows, UNC, home-relative, file: URL) replaced by its file's own name; web URLs are left alone. */
export function withoutPaths(text: string): string {
  return text
    .replace(QUOTED, (whole, open: string, inside: string, close: string) => (STARTS_AS_PATH.test(inside) ? `${open}${lastName(inside)}${close}` : whole))
    .replace(UNQUOTED, (_whole, rooted?: string, posix?: string) => rooted ?? posix ?? '');
}

/** Why a run failed, as staff read it (tray, result, notification): the error's first line, without paths. */
export function staffReason(message: string): string {
  return withoutPaths(message.split('\n')[0] ?? '');
}
