// The shell: three screens reached by the URL hash (#/tray, #/studio, #/settings).
import { useEffect, useState } from 'react';
import { useTransport } from './api/context.js';
import { useRunNotifications } from './notifications.js';
import { SettingsScreen } from './settings/SettingsScreen.js';
import { Studio } from './studio/Studio.js';
import { TrayPanel } from './tray/TrayPanel.js';

const SCREENS = [
  { hash: '#/tray', label: 'My bots' },
  { hash: '#/studio', label: 'Studio' },
  { hash: '#/settings', label: 'Settings' },
] as const;

function currentHash(): string {
  return SCREENS.some((s) => location.hash.startsWith(s.hash)) ? location.hash.split('?')[0]! : '#/studio';
}

/**
 * The one thing a page whose session ended shows, instead of empty lists and a stream of token
 * errors. The old screens stay mounted underneath (hidden), so unsaved editor changes can still
 * be shown and copied.
 */
function OutOfDate({ peeking, onPeek }: { peeking: boolean; onPeek: () => void }): React.JSX.Element {
  const reopen = (
    <>
      Reopen it from the tray (<strong>My bots</strong> or <strong>Open studio</strong>), or open the address that <code>rpa studio</code> printed, then close this tab.
    </>
  );
  if (peeking) {
    return (
      <div role="alert" className="out-of-date-banner" data-testid="out-of-date">
        <strong>This page is out of date:</strong> it shows what it showed when the studio restarted and can no longer save or run anything. {reopen}
      </div>
    );
  }
  return (
    <main className="centered" data-testid="out-of-date">
      <h1>This page is out of date</h1>
      <p>The studio was restarted, so this tab can no longer reach it. Runs, reviews and saved automations carry on in the studio.</p>
      <p>{reopen}</p>
      <p>
        <button type="button" onClick={onPeek}>
          Show what was on this page
        </button>{' '}
        <span className="muted small">(to copy changes you had not saved)</span>
      </p>
    </main>
  );
}

export function App(): React.JSX.Element {
  const transport = useTransport();
  const [expired, setExpired] = useState(false);
  const [peeking, setPeeking] = useState(false);
  useRunNotifications();
  useEffect(() => transport.onExpired?.(() => setExpired(true)), [transport]);
  const [hash, setHash] = useState(currentHash);
  useEffect(() => {
    const onHash = (): void => setHash(currentHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <>
    {expired && <OutOfDate peeking={peeking} onPeek={() => setPeeking(true)} />}
    <div className="app" hidden={expired && !peeking}>
      <header className="topbar">
        <span className="brand">RPA Studio</span>
        <nav aria-label="Screens">
          {SCREENS.map((s) => (
            <a key={s.hash} href={s.hash} aria-current={hash === s.hash ? 'page' : undefined}>
              {s.label}
            </a>
          ))}
        </nav>
      </header>
      {hash === '#/tray' ? <TrayPanel /> : hash === '#/settings' ? <SettingsScreen /> : <Studio />}
    </div>
    </>
  );
}
