// Finds the Chrome / Edge / Chromium already installed on this machine. rpa never
// downloads a browser: legacy back offices run the browser IT gave them.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { BrowserNotFoundError } from '../errors.js';

export function browserCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']].filter((r): r is string => !!r);
    return roots.flatMap((root) => [
      path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      path.win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ];
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/snap/bin/chromium',
  ];
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Order: RPA_BROWSER, then the configured path, then the usual install locations.
 * An explicitly chosen browser that is missing is an error, not a silent fallback.
 */
export function findBrowser(options: { configured?: string | undefined; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; exists?: (file: string) => boolean } = {}): string {
  const env = options.env ?? process.env;
  const exists = options.exists ?? isExecutable;
  const explicit = env['RPA_BROWSER'] ? { path: env['RPA_BROWSER'], from: 'RPA_BROWSER' } : options.configured ? { path: options.configured, from: 'settings.json browser.executablePath' } : undefined;
  if (explicit) {
    if (exists(explicit.path)) return explicit.path;
    throw new BrowserNotFoundError(`browser ${explicit.path} (from ${explicit.from}) does not exist or is not executable`, { path: explicit.path });
  }
  const candidates = browserCandidates(options.platform, env);
  const found = candidates.find(exists);
  if (found) return found;
  throw new BrowserNotFoundError(
    `no Chrome, Edge or Chromium found (looked in: ${candidates.join(', ')}). Install one (Debian: apt-get install chromium) or set RPA_BROWSER to its path.`,
    { looked: candidates },
  );
}
