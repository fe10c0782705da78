// Canonical JSON: the one byte sequence both sides hash and sign. Keys sorted by UTF-16
// code units, no whitespace, undefined members dropped (RFC 8785 for the values the
// audit protocol carries: strings, finite numbers, booleans, null, arrays, objects).
export function canonicalJson(value: unknown): string {
  // A value already in canonical order (what sealRecord gives, so what clients send) is written
  // by the engine's JSON.stringify, which then writes the same bytes: checking the order costs a
  // third of the walk below (bench/audit-breakdown). Anything else, or any doubt, takes the walk.
  if (typeof value === 'object' && value !== null && inCanonicalOrder(value)) return JSON.stringify(value);
  return canonicalWalk(value);
}

const isPlain = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null || proto === Array.prototype;
};

/**
 * True when JSON.stringify(value) is its canonical JSON: plain objects and dense arrays only,
 * every object's own keys already sorted by UTF-16 code units (as JSON.stringify writes them in
 * the engine's order, which puts integer-like keys first: those must then sort first too), no
 * undefined anywhere, every number finite, nothing but strings, numbers, booleans and null.
 */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (!isPlain(value)) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !inCanonicalOrder(value[i])) return false;
        return true;
      }
      const record = value as Record<string, unknown>;
      let previous: string | undefined;
      for (const key of Object.keys(record)) {
        if (previous !== undefined && !(previous < key)) return false;
        previous = key;
        const item = record[key];
        if (item === undefined || !inCanonicalOrder(item)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** Sorted copies of value's objects (undefined members kept): what canonicalJson writes fastest. */
export function inSortedOrder<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(inSortedOrder) as T;
  if (!isPlain(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = inSortedOrder((value as Record<string, unknown>)[key]);
  return sorted as T;
}

function canonicalWalk(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
      return JSON.stringify(value);
    case 'object': {
      // Plain loops and string appends: this runs for every record on both sides of every
      // upload, and the map/filter/join version allocated three arrays per object.
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i) out += ',';
          const item: unknown = value[i];
          out += item === undefined ? 'null' : canonicalWalk(item);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(key)}:${canonicalWalk(item)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}
