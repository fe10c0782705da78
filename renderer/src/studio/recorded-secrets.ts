// The secrets a recording refers to, and renaming them before it is saved: the recorder names
// a typed password after its field ("password"), which is rarely a secret anybody stored.

const SECRET_REF = /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The names a recorded document declares or refers to, in the order they first appear. */
export function recordedSecrets(doc: unknown): string[] {
  const names = new Set<string>();
  const declared = (doc as { secrets?: unknown }).secrets;
  if (Array.isArray(declared)) for (const name of declared) if (typeof name === 'string') names.add(name);
  walkStrings(doc, (text) => {
    for (const match of text.matchAll(SECRET_REF)) names.add(match[1]!);
    return text;
  });
  return [...names];
}

/** A copy of `doc` with each `{{secrets.OLD}}` and its declaration renamed as `renames` says. */
export function renameSecrets<T>(doc: T, renames: ReadonlyMap<string, string>): T {
  const renamed = walkStrings(structuredClone(doc), (text) => text.replace(SECRET_REF, (whole, name: string) => (renames.has(name) ? `{{secrets.${renames.get(name)!}}}` : whole)));
  const declared = (renamed as { secrets?: unknown }).secrets;
  if (Array.isArray(declared)) {
    (renamed as { secrets: unknown[] }).secrets = [...new Set((declared as unknown[]).map((name: unknown) => (typeof name === 'string' ? (renames.get(name) ?? name) : name)))];
  }
  return renamed;
}

function walkStrings<T>(value: T, change: (text: string) => string): T {
  if (typeof value === 'string') return change(value) as T;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    items.forEach((item, i) => (items[i] = walkStrings(item, change)));
    return value;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = walkStrings(record[key], change);
  }
  return value;
}

/**
 * A name for a new secret: what it signs in to (the site's name, else the recording's) and what
 * the field was, in camelCase — `claimsPassword` on claims.example.com, `claimsDeskPassword` for a
 * recording named "Claims desk" on an address with no name of its own (an IP, localhost).
 */
export function suggestSecretName(recorded: string, startUrl: string, recordingName: string): string {
  let site: string | undefined;
  try {
    const host = new URL(startUrl).hostname;
    const label = host.split('.').find((part) => part !== 'www');
    if (label && !/^[\d[]/.test(host) && host !== 'localhost') site = label;
  } catch {
    site = undefined;
  }
  const words = (text: string): string[] => text.split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/).filter(Boolean);
  const what = words(site ?? recordingName);
  const field = words(recorded);
  // "Portal password" + password: one "password".
  if (what.length && field.length && what[what.length - 1]!.toLowerCase() === field[0]!.toLowerCase()) what.pop();
  const camel = [...what, ...field]
    .map((word, i) => (i === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase()))
    .join('');
  const name = /^[A-Za-z_]/.test(camel) ? camel : `_${camel}`;
  return SECRET_NAME.test(name) ? name : recorded;
}
