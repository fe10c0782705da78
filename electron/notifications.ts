// Native notifications from the main process: a run that ends, a run that waits for a person.
// Wording is shared with the browser studio (engine/transport/notices.ts). Clicking one opens
// the tray panel, where the run's result and the review inbox are on top.
import { Notification } from 'electron';
import type { RunEvent } from '../engine/events.js';
import { noticeFor } from '../engine/transport/notices.js';

export interface NotifierOptions {
  /** The bot's name for a run this process did not see start (resumed after a review, started elsewhere). */
  nameOf(runId: string): Promise<string>;
  /** Opens the tray panel. */
  openTray(): void;
}

/** Returns the listener for run events; `known` names the runs this process saw start. */
export function setupNotifications(options: NotifierOptions): (event: RunEvent, knownName: string | undefined) => void {
  return (event, knownName) => {
    if (!Notification.isSupported() || (event.type !== 'run.finished' && event.type !== 'review.created')) return;
    void (knownName !== undefined ? Promise.resolve(knownName) : options.nameOf(event.runId).catch(() => 'A bot')).then((name) => {
      const notice = noticeFor(event, name);
      if (!notice) return;
      const shown = new Notification({ title: notice.title, body: notice.body });
      shown.on('click', () => options.openTray());
      shown.show();
    });
  };
}
