// What a notification says when a run ends or waits for a person: one wording for the desktop
// app's native notifications (electron/notifications.ts) and the browser studio's Web
// Notifications (renderer/src/notifications.tsx). `tag` is the run's: a second page or window
// telling the same news replaces the first notification instead of adding another.
import type { RunEvent } from '../events.js';
import { staffReason } from './without-paths.js';

export interface Notice {
  title: string;
  body: string;
  tag: string;
  /** Where the person goes from it: the run's result, or the review inbox. */
  opens: 'run' | 'review';
}

const ENDED: Record<string, string> = { passed: 'finished', failed: 'failed', cancelled: 'was stopped', timed_out: 'ran out of time', interrupted: 'was interrupted' };

/** The notice for an event worth telling a person about, or undefined. `name` is the bot's. */
export function noticeFor(event: RunEvent, name: string): Notice | undefined {
  if (event.type === 'run.finished') {
    const outputs = Object.entries(event.outputs).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
    const body = event.status === 'passed' ? (outputs.length ? outputs.map(([k, v]) => `${k}: ${String(v)}`).join(', ').slice(0, 200) : 'Every step passed.') : (event.error ? staffReason(event.error.message).slice(0, 200) : 'Open the run to see why.');
    return { title: `${name} ${ENDED[event.status] ?? event.status}`, body, tag: `run-${event.runId}`, opens: 'run' };
  }
  if (event.type === 'review.created') return { title: `${name} needs your review`, body: event.title, tag: `run-${event.runId}`, opens: 'review' };
  return undefined;
}
