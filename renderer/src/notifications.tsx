// Web Notifications for the browser studio (`rpa studio`): once the person allows them, a run
// that ends or waits for a review says so even when this tab is in the background. The desktop
// app shows native notifications from its main process instead (electron/notifications.ts), so
// in Electron (window.rpa) this stays off. Clicking one brings this tab to the tray screen.
import { useState } from 'react';
import { noticeFor } from '../../engine/transport/notices.js';
import { usePushed, useTransport } from './api/context.js';

const supported = (): boolean => !window.rpa && typeof Notification !== 'undefined';

/** Shows a notification for each run that ends or asks for a review while this page is open. */
export function useRunNotifications(): void {
  const transport = useTransport();
  usePushed((message) => {
    if (message.type !== 'run.event' || !supported() || Notification.permission !== 'granted') return;
    const event = message.event;
    if (event.type !== 'run.finished' && event.type !== 'review.created') return;
    // The event does not carry the bot's name; the run does.
    void transport
      .call('runs.get', { runId: event.runId })
      .then((run) => run.automationName, () => 'A bot')
      .then((name) => {
        const notice = noticeFor(event, name);
        if (!notice) return;
        const shown = new Notification(notice.title, { body: notice.body, tag: notice.tag });
        shown.onclick = () => {
          window.focus();
          location.hash = '#/tray';
        };
      });
  });
}

/** "Tell me when a bot finishes": asks the browser's permission; says so when it was refused. */
export function NotificationsToggle(): React.JSX.Element | null {
  const [permission, setPermission] = useState(() => (supported() ? Notification.permission : undefined));
  if (permission === undefined || permission === 'granted') return null;
  if (permission === 'denied') return <p className="muted small" data-testid="notifications-blocked">Notifications are blocked for this page; allow them in the browser's site settings to hear when a bot finishes.</p>;
  return (
    <button type="button" onClick={() => void Notification.requestPermission().then(setPermission)}>
      Notify me when a bot finishes or needs review
    </button>
  );
}
