// The shell: three screens reached by the URL hash (#/tray, #/studio, #/settings).
import { useEffect, useState } from 'react';
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

export function App(): React.JSX.Element {
  const [hash, setHash] = useState(currentHash);
  useEffect(() => {
    const onHash = (): void => setHash(currentHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <div className="app">
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
  );
}
