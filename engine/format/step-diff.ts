// Which steps changed between two versions of an automation, as a builder reads a change:
// steps added, removed, moved or edited (and in which fields), and what changed outside the
// steps (name, inputs, defaults…). Works on parsed documents, valid or not; no Node modules.

export type StepChangeKind = 'added' | 'removed' | 'changed' | 'moved';

export interface FieldChange {
  /** A field of the step (or of the document), e.g. "value" or "target.candidates". */
  field: string;
  before?: unknown;
  after?: unknown;
}

export interface StepChange {
  change: StepChangeKind;
  /** 1-based position in the older version (absent for an added step). */
  from?: number;
  /** 1-based position in the newer version (absent for a removed step). */
  to?: number;
  kind: string;
  /** The step as a line of text (its name, or kind and what it acts on). */
  label: string;
  /** For a changed step: each field that differs. */
  fields?: FieldChange[];
}

export interface StepDiff {
  changes: StepChange[];
  /** Steps found in both versions, in the same order and unchanged. */
  unchanged: number;
  /** Top-level fields of the document other than steps that differ. */
  document: FieldChange[];
}

type Doc = Record<string, unknown>;
type StepLike = Record<string, unknown>;

/** JSON with sorted keys: two steps are the same when these are equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v));
}

function stepsOf(doc: unknown): StepLike[] {
  const steps = doc && typeof doc === 'object' ? (doc as Doc)['steps'] : undefined;
  return Array.isArray(steps) ? steps.map((s) => (s && typeof s === 'object' ? (s as StepLike) : { kind: String(s) })) : [];
}

function kindOf(step: StepLike): string {
  return typeof step['kind'] === 'string' ? step['kind'] : '(no kind)';
}

/** Fields that differ between two objects; a target's candidates and description are compared on their own. */
function fieldChanges(a: StepLike, b: StepLike, prefix = ''): FieldChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const changes: FieldChange[] = [];
  for (const key of keys) {
    const before = a[key];
    const after = b[key];
    if (canonical(before) === canonical(after)) continue;
    const field = `${prefix}${key}`;
    const bothObjects = before && after && typeof before === 'object' && typeof after === 'object' && !Array.isArray(before) && !Array.isArray(after);
    if (bothObjects && key === 'target') {
      changes.push(...fieldChanges(before as StepLike, after as StepLike, `${field}.`));
      continue;
    }
    changes.push({ field, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  }
  return changes;
}

/** Longest common subsequence of two lists of keys: the pairs (i, j) kept in order. */
function commonPairs(a: string[], b: string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  // Lengths of the LCS of a[i:] and b[j:], one row per i (automations hold at most a few thousand steps).
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/**
 * The step changes from `before` to `after`. Steps equal in both stay unchanged (or moved, when
 * they changed place relative to the others); between two unchanged steps, a removed and an
 * added step of the same kind are one edited step.
 */
export function diffSteps(before: unknown, after: unknown, describe: (step: StepLike) => string): StepDiff {
  const a = stepsOf(before);
  const b = stepsOf(after);
  const keysA = a.map(canonical);
  const keysB = b.map(canonical);
  const pairs = commonPairs(keysA, keysB);
  const changes: StepChange[] = [];
  // Steps that are not in the common sequence, gap by gap.
  const removed: number[] = [];
  const added: number[] = [];
  const gaps: Array<{ removed: number[]; added: number[] }> = [];
  let lastA = 0;
  let lastB = 0;
  for (const [i, j] of [...pairs, [a.length, b.length] as [number, number]]) {
    const gap = { removed: range(lastA, i), added: range(lastB, j) };
    gaps.push(gap);
    removed.push(...gap.removed);
    added.push(...gap.added);
    lastA = i + 1;
    lastB = j + 1;
  }
  // A step removed in one place and added unchanged in another was moved.
  const moved = new Set<number>();
  const movedTo = new Set<number>();
  for (const i of removed) {
    const j = added.find((k) => !movedTo.has(k) && keysB[k] === keysA[i]);
    if (j === undefined) continue;
    moved.add(i);
    movedTo.add(j);
    changes.push({ change: 'moved', from: i + 1, to: j + 1, kind: kindOf(a[i]!), label: describe(a[i]!) });
  }
  for (const gap of gaps) {
    const gone = gap.removed.filter((i) => !moved.has(i));
    const come = gap.added.filter((j) => !movedTo.has(j));
    // Pair steps of the same kind, in order: the edited ones.
    const used = new Set<number>();
    for (const i of gone) {
      const j = come.find((k) => !used.has(k) && kindOf(b[k]!) === kindOf(a[i]!));
      if (j === undefined) {
        changes.push({ change: 'removed', from: i + 1, kind: kindOf(a[i]!), label: describe(a[i]!) });
        continue;
      }
      used.add(j);
      changes.push({ change: 'changed', from: i + 1, to: j + 1, kind: kindOf(b[j]!), label: describe(b[j]!), fields: fieldChanges(a[i]!, b[j]!) });
    }
    for (const j of come) if (!used.has(j)) changes.push({ change: 'added', to: j + 1, kind: kindOf(b[j]!), label: describe(b[j]!) });
  }
  // In reading order of the newer version; removed steps where they stood.
  const place = (c: StepChange): number => (c.to ?? c.from! - 0.5);
  changes.sort((x, y) => place(x) - place(y));
  const docA = (before && typeof before === 'object' ? before : {}) as Doc;
  const docB = (after && typeof after === 'object' ? after : {}) as Doc;
  const { steps: _a, ...restA } = docA;
  const { steps: _b, ...restB } = docB;
  return { changes, unchanged: pairs.length, document: fieldChanges(restA, restB) };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}
