// Server-side sessions of the demo system (cookie SID), including the claim
// wizard's draft and one-shot flash messages.
import { randomBytes } from 'node:crypto';
import type { Attachment } from './state.js';

/** The new-claim wizard's work in progress. */
export interface Draft {
  /** One-time token of this draft; submitting consumes it. */
  token: string;
  policy: string;
  claimant: string;
  incidentDate: string;
  claimType: string;
  channel: string;
  injuries: boolean;
  policeReport: boolean;
  description: string;
  attachment?: Attachment;
  step1Done: boolean;
  step2Done: boolean;
}

export interface Session {
  id: string;
  user: string;
  draft?: Draft;
  /** Consumed draft tokens → the claim number they filed. */
  submitted: Map<string, string>;
  /** One-shot messages by key, shown once by the next page that asks. */
  flash: Map<string, string>;
}

export function newDraft(): Draft {
  return {
    token: randomBytes(12).toString('hex'),
    policy: '',
    claimant: '',
    incidentDate: '',
    claimType: '',
    channel: '',
    injuries: false,
    policeReport: false,
    description: '',
    step1Done: false,
    step2Done: false,
  };
}

/** Read and forget a flash message. */
export function takeFlash(session: Session, key: string): string | undefined {
  const message = session.flash.get(key);
  session.flash.delete(key);
  return message;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  create(user: string): Session {
    const session: Session = { id: randomBytes(18).toString('hex'), user, submitted: new Map(), flash: new Map() };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }
}
