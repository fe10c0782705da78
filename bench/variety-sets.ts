// Which sets of the variety corpus (assets/documents/split.ts) a run of bench/extraction reads:
// the design set and the validation sets, whose failures may be read; the test set, of which only
// the headline figures are shown; and never a set added after the test set — it is written for a
// later round and is not run at all, not even for its headline, until it becomes the test set.
// Which set is the test set is bench/extraction's TEST_SET.
import { CORPUS_SETS, type CorpusSet } from '../assets/documents/split.js';

/** Sets written for later rounds: those split.ts adds after the test set. */
export const notYetSets = (test: CorpusSet): CorpusSet[] => CORPUS_SETS.slice(CORPUS_SETS.indexOf(test) + 1);

/** Design, validation and test sets: all a run may read. */
export const readableSets = (test: CorpusSet): CorpusSet[] => CORPUS_SETS.filter((set) => !notYetSets(test).includes(set));

/** Throws for a set that is unknown, not yet in play, or the test set where only design and validation sets are allowed. */
export function refuseSets(flagName: string, sets: readonly string[], allowTest: boolean, test: CorpusSet): asserts sets is CorpusSet[] {
  const allowed = readableSets(test).filter((set) => allowTest || set !== test);
  const refused = sets.filter((set) => !allowed.includes(set as CorpusSet));
  if (!refused.length) return;
  const waiting = refused.filter((set) => notYetSets(test).includes(set as CorpusSet));
  throw new Error(`${flagName} takes ${allowTest ? 'design, validation and test' : 'design and validation'} sets (${allowed.join(', ')}), not ${refused.join(', ')}${waiting.length ? ` (${waiting.join(', ')} ${waiting.length > 1 ? 'wait' : 'waits'} for a later round)` : ''}`);
}

/** The sets of a --variety run: --only SET,SET (design and validation sets), --design-only, --validation (all but the test set), or every readable set. */
export function varietyRunSets(args: readonly string[], test: CorpusSet): CorpusSet[] {
  const at = args.indexOf('--only');
  if (at >= 0) {
    const only = (args[at + 1] ?? '').split(',');
    refuseSets('--only', only, false, test);
    return only;
  }
  if (args.includes('--design-only')) return ['design'];
  return readableSets(test).filter((set) => !args.includes('--validation') || set !== test);
}

/** The sets of a --learning run: --sets SET,SET (any readable set), by default the first three held-out sets. */
export function learningSets(value: string | undefined, test: CorpusSet): CorpusSet[] {
  const sets = (value ?? 'held-out,held-out-2,held-out-3').split(',');
  refuseSets('--sets', sets, true, test);
  return sets;
}
