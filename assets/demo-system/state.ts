// In-memory state of the Acme Mutual claims demo system: types, the
// deterministic seed (35 claims) and the helpers that number new claims.
import { createHash } from 'node:crypto';

export type ClaimType = 'auto' | 'property' | 'liability' | 'health';
export type Channel = 'phone' | 'email' | 'branch';
export type ClaimStatus = 'Open' | 'Under review' | 'Approved' | 'Rejected' | 'Closed';

export const CLAIM_TYPES: readonly ClaimType[] = ['auto', 'property', 'liability', 'health'];
export const CLAIM_TYPE_LABELS: Readonly<Record<ClaimType, string>> = {
  auto: 'Auto',
  property: 'Property',
  liability: 'Liability',
  health: 'Health',
};
export const CHANNELS: readonly Channel[] = ['phone', 'email', 'branch'];
export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  phone: 'Phone',
  email: 'Email',
  branch: 'Branch',
};
export const STATUSES: readonly ClaimStatus[] = ['Open', 'Under review', 'Approved', 'Rejected', 'Closed'];

export interface Attachment {
  filename: string;
  bytes: number;
  /** Hex SHA-256 of the uploaded bytes. */
  sha256: string;
}

export interface Claim {
  number: string;
  policyNumber: string;
  claimant: string;
  /** YYYY-MM-DD */
  incidentDate: string;
  claimType: ClaimType;
  channel: Channel;
  injuries: boolean;
  policeReport: boolean;
  description: string;
  attachment?: Attachment;
  status: ClaimStatus;
  notes: string[];
  createdBy: string;
  /** ISO timestamp. */
  createdAt: string;
}

export interface LoginAttempt {
  user: string;
  ok: boolean;
  /** ISO timestamp. */
  at: string;
}

/** A vendor invoice entered through Accounts payable → Enter invoice. */
export interface ApInvoice {
  /** AP document number given on entry, e.g. AP-2004-000001. */
  document: string;
  vendor: string;
  /** Upper-cased; unique. */
  invoiceNumber: string;
  /** YYYY-MM-DD */
  invoiceDate: string;
  /** YYYY-MM-DD */
  dueDate: string;
  total: number;
  currency: string;
  enteredBy: string;
  /** ISO timestamp. */
  enteredAt: string;
}

export interface DemoState {
  /** All claims, in filing order (claim number ascending). */
  claims: Claim[];
  /** Every sign-in attempt, good or bad, oldest first. */
  logins: LoginAttempt[];
  /** Entered vendor invoices, oldest first (none in the seed). */
  invoices: ApInvoice[];
}

export const SEED_CLAIM_COUNT = 35;
const CLAIM_PREFIX = 'CLM-2004-';

export function isClaimType(value: string): value is ClaimType {
  return (CLAIM_TYPES as readonly string[]).includes(value);
}
export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}
export function isStatus(value: string): value is ClaimStatus {
  return (STATUSES as readonly string[]).includes(value);
}

export function formatClaimNumber(seq: number): string {
  return CLAIM_PREFIX + String(seq).padStart(6, '0');
}

/** The number the next filed claim gets: one past the highest existing number. */
export function nextClaimNumber(state: DemoState): string {
  let max = 0;
  for (const claim of state.claims) {
    const seq = Number(claim.number.slice(CLAIM_PREFIX.length));
    if (Number.isInteger(seq) && seq > max) max = seq;
  }
  return formatClaimNumber(max + 1);
}

export function findClaim(state: DemoState, number: string): Claim | undefined {
  const wanted = number.trim().toUpperCase();
  return state.claims.find((c) => c.number === wanted);
}

const FIRST = ['Margaret', 'Harold', 'Dolores', 'Vincent', 'Eleanor', 'Walter', 'Beatrice', 'Franklin', 'Gloria', 'Stanley', 'Mildred', 'Raymond'];
const LAST = ['Kowalski', 'Henderson', 'Okafor', 'Lindqvist', 'Brennan', 'Castillo', 'Whitfield', 'Nakamura', 'Dubois', 'Pemberton', 'Alvarez'];
const CLERKS = ['clerk', 'mjones', 'tbaker'];
const DESCRIPTIONS: Readonly<Record<ClaimType, readonly string[]>> = {
  auto: [
    'Rear-ended at a red light on Route 9. Bumper and tail light damaged.',
    'Hit a deer on County Road 12 at dusk. Front grille and hood damaged.',
    'Parked car scraped in the Elm Street garage. Other driver left a note.',
  ],
  property: [
    'Burst pipe in the basement during the cold snap. Carpet and drywall soaked.',
    'Hail damage to roof shingles and two skylights.',
    'Kitchen fire from a toaster oven. Smoke damage to cabinets.',
  ],
  liability: [
    'Visitor slipped on an icy front step and fell.',
    'Dog bit a neighbour while off the leash in the park.',
    'Tree branch from insured property fell on neighbour\'s fence.',
  ],
  health: [
    'Emergency room visit after a fall at home. Wrist X-ray taken.',
    'Outpatient physiotherapy, six sessions, after knee surgery.',
    'Ambulance transport to St. Mary\'s after chest pains.',
  ],
};
const STATUS_CYCLE: readonly ClaimStatus[] = ['Closed', 'Approved', 'Closed', 'Rejected', 'Approved', 'Under review'];

function pick<T>(list: readonly T[], index: number): T {
  const value = list[index % list.length];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

function seedClaim(i: number): Claim {
  const claimType = pick(CLAIM_TYPES, i * 3);
  const day = 24 * 3600 * 1000;
  const incident = Date.UTC(2004, 0, 3) + ((i - 1) * 6 + (i % 3)) * day;
  const created = incident + (1 + (i % 4)) * day + (9 + (i % 8)) * 3600 * 1000 + ((i * 7) % 60) * 60 * 1000;
  const notes: string[] = [];
  if (i % 4 === 0) notes.push('Called claimant, left voicemail.');
  if (i % 9 === 0) notes.push('Adjuster assigned: R. Delgado.');
  const claim: Claim = {
    number: formatClaimNumber(i),
    policyNumber: `POL-${10000 + ((i - 1) % 25) + 1}`,
    claimant: `${pick(FIRST, i)} ${pick(LAST, i)}`,
    incidentDate: new Date(incident).toISOString().slice(0, 10),
    claimType,
    channel: pick(CHANNELS, i),
    injuries: claimType !== 'property' && i % 3 === 0,
    policeReport: (claimType === 'auto' && i % 2 === 0) || (claimType === 'property' && i % 5 === 0),
    description: pick(DESCRIPTIONS[claimType], i),
    status: i >= 30 ? (i % 2 === 0 ? 'Open' : 'Under review') : pick(STATUS_CYCLE, i),
    notes,
    createdBy: pick(CLERKS, i),
    createdAt: new Date(created).toISOString(),
  };
  if (i % 5 === 0) {
    claim.attachment = {
      filename: `scan_${String(i).padStart(4, '0')}.pdf`,
      bytes: 20000 + i * 1371,
      sha256: createHash('sha256').update(`seed-attachment-${i}`).digest('hex'),
    };
  }
  return claim;
}

/** The 35 seed claims, CLM-2004-000001 … CLM-2004-000035; identical on every call. */
export function createSeedClaims(): Claim[] {
  const claims: Claim[] = [];
  for (let i = 1; i <= SEED_CLAIM_COUNT; i++) claims.push(seedClaim(i));
  return claims;
}

export function createDemoState(): DemoState {
  return { claims: createSeedClaims(), logins: [], invoices: [] };
}

/** Back to the seed, in place, so references to `state` and its arrays stay valid. */
export function resetDemoState(state: DemoState): void {
  state.claims.splice(0, state.claims.length, ...createSeedClaims());
  state.logins.splice(0, state.logins.length);
  state.invoices.splice(0, state.invoices.length);
}
