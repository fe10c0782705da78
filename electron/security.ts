// Guards for every web contents the app creates (our windows and anything else): no navigation
// away from our own pages, no new windows (https links open in the system browser), no
// <webview>, no permission granted (camera, notifications, clipboard, …: the UI needs none).
import { app, session, shell, type WebContents } from 'electron';
import { isAppUrl } from './protocol.js';

/** Only https links leave the app, to the system browser; nothing else is opened anywhere. */
export function openExternally(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  void shell.openExternal(url.href);
  return true;
}

/** Navigation, redirects, new windows and webviews of one web contents. */
export function guardContents(contents: WebContents): void {
  // The UI is one page that routes by hash (same-document, which never asks here): any other
  // navigation — a link, a form, a script setting location, a drop — is refused.
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

export function setupSecurity(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
}
