// Entry: picks the transport (the Electron bridge when present, else HTTP with the session
// token from the URL fragment, kept in sessionStorage and removed from the address bar).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { TransportContext } from './api/context.js';
import { HttpTransport } from './api/http-transport.js';
import { IpcTransport } from './api/ipc-transport.js';
import type { Transport } from './api/transport.js';
import './styles.css';

function sessionToken(): string | undefined {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('rpa.token', decodeURIComponent(match[1]!));
    history.replaceState(null, '', `${location.pathname}${location.search}#/studio`);
  }
  return sessionStorage.getItem('rpa.token') ?? undefined;
}

const root = createRoot(document.getElementById('root')!);
const token = window.rpa ? undefined : sessionToken();
const transport: Transport | undefined = window.rpa ? new IpcTransport(window.rpa) : token ? new HttpTransport(token) : undefined;
if (!transport) {
  root.render(
    <main className="centered">
      <h1>RPA Studio</h1>
      <p>This page needs the session token. Open the full URL that <code>rpa studio</code> printed (it ends in <code>#token=…</code>).</p>
    </main>,
  );
} else {
  root.render(
    <StrictMode>
      <TransportContext.Provider value={transport}>
        <App />
      </TransportContext.Provider>
    </StrictMode>,
  );
}
