// Effective settings: the machine policy over the user's settings. Every place that asks "may
// this happen?" (a run, a recording, a schedule, a model call, enrollment) asks here, and the
// UI shows the same list with where each value comes from.
import type { ModelsSettings } from '../ai/settings.js';
import type { Settings } from '../home.js';
import { publicKeyId } from '../package/keys.js';
import { PolicyViolationError, requirePolicy, type Policy, type PolicyState, type TrustedPublisher } from './policy.js';

export type SettingSource = 'policy' | 'user' | 'default';

export interface EffectiveSetting {
  key: string;
  label: string;
  value: string | number | boolean | string[];
  source: SettingSource;
}

export interface PolicySummary {
  status: PolicyState['status'];
  file: string;
  owner?: string;
  modifiedAt?: string;
  /** Why the policy is invalid (then no bot runs). */
  error?: string;
}

export interface EffectiveView {
  policy: PolicySummary;
  settings: EffectiveSetting[];
}

/** What the user's side knows that the policy may override. */
export interface UserSide {
  settings: Settings;
  /** The audit server this machine enrolled with, if any. */
  enrolledServer?: string;
}


export function summarizePolicy(state: PolicyState): PolicySummary {
  if (state.status === 'ok') return { status: 'ok', file: state.file, modifiedAt: state.modifiedAt, ...(state.policy.owner ? { owner: state.policy.owner } : {}) };
  if (state.status === 'invalid') return { status: 'invalid', file: state.file, error: state.error.message };
  return { status: 'none', file: state.file };
}

/**
 * Every setting the policy can control, plus the user's own, with the value in effect and its
 * source. With an invalid policy only the summary says so: nothing is "in effect" but refusal.
 */
export function effectiveSettings(state: PolicyState, user: UserSide): EffectiveView {
  const policy = state.status === 'ok' ? state.policy : undefined;
  const list: EffectiveSetting[] = [];
  const add = (key: string, label: string, fromPolicy: EffectiveSetting['value'] | undefined, fromUser: EffectiveSetting['value'] | undefined, fallback: EffectiveSetting['value']): void => {
    if (fromPolicy !== undefined) list.push({ key, label, value: fromPolicy, source: 'policy' });
    else if (fromUser !== undefined) list.push({ key, label, value: fromUser, source: 'user' });
    else list.push({ key, label, value: fallback, source: 'default' });
  };
  add('auditServer.url', 'Audit server', policy?.auditServer?.url, user.enrolledServer, 'none (run logs stay on this machine)');
  add('automations.requireSigned', 'Only signed automation packages may run', policy?.automations?.requireSigned, undefined, false);
  add('automations.trustedPublishers', 'Trusted publishers', policy?.automations ? policy.automations.trustedPublishers.map((p) => `${p.name} (${publicKeyId(p.publicKey)})`) : undefined, undefined, []);
  add('models.allowedEndpoints', 'Model endpoints allowed', policy?.models?.allowedEndpoints, user.settings.models?.allowedEndpoints, 'any configured provider');
  add('recorder.enabled', 'Recorder available', policy?.recorder?.enabled, undefined, true);
  add('schedules.allowed', 'Schedules may run', policy?.schedules?.allowed, undefined, true);
  add('failureScreenshots.upload', 'Failure screenshots go to the audit server', policy?.failureScreenshots?.upload, undefined, false);
  add('updates.feedUrl', 'Update feed', policy?.updates?.enabled === false ? 'updates turned off' : policy?.updates?.feedUrl, undefined, 'none (no automatic updates)');
  if (policy?.updates) add('updates.rolloutPercent', 'Update rollout (% of machines)', policy.updates.rolloutPercent, undefined, 100);
  add('browser.headless', 'Browser runs headless', undefined, user.settings.browser?.headless, true);
  add('browser.executablePath', 'Browser', undefined, user.settings.browser?.executablePath, 'found automatically');
  return { policy: summarizePolicy(state), settings: list };
}

/** The user's models settings with the policy's endpoint list in place of theirs. */
export function effectiveModels(models: ModelsSettings | undefined, policy: Policy | undefined): ModelsSettings | undefined {
  if (!policy?.models) return models;
  return { ...(models ?? { providers: [] }), allowedEndpoints: policy.models.allowedEndpoints };
}

/** What a run must satisfy: signature requirements and trusted publishers. */
export function packageRequirements(policy: Policy | undefined): { requireSignature: boolean; trusted?: TrustedPublisher[] } {
  if (!policy?.automations?.requireSigned) return { requireSignature: false };
  return { requireSignature: true, trusted: policy.automations.trustedPublishers };
}

/**
 * Whether a failure screenshot may leave this machine for the audit server: only when a valid
 * policy says so (no policy, an invalid one or no such field: it stays on the machine).
 */
export function failureScreenshotsUploadAllowed(state: PolicyState): boolean {
  return state.status === 'ok' && state.policy.failureScreenshots?.upload === true;
}

/** Throws unless the policy (valid or absent) lets staff record. */
export function assertRecorderAllowed(state: PolicyState): void {
  const policy = requirePolicy(state);
  if (policy?.recorder?.enabled === false) throw new PolicyViolationError(`the recorder is turned off on this machine by its policy (${state.file}); ask IT or your automation team`);
}

/** Throws unless the policy (valid or absent) lets schedules run. */
export function assertSchedulesAllowed(state: PolicyState): void {
  const policy = requirePolicy(state);
  if (policy?.schedules?.allowed === false) throw new PolicyViolationError(`schedules are not allowed on this machine by its policy (${state.file}); bots can still be run by hand`);
}

/** Throws when the policy names an audit server and `url` is another one. */
export function assertAuditServerAllowed(state: PolicyState, url: string): void {
  const policy = requirePolicy(state);
  const required = policy?.auditServer?.url;
  if (required && normalizeUrl(required) !== normalizeUrl(url)) {
    throw new PolicyViolationError(`this machine's policy (${state.file}) sends run logs to ${required}; enrolling with ${url} is not allowed`);
  }
}

export function normalizeUrl(url: string): string {
  return new URL(url).toString().replace(/\/+$/, '');
}
