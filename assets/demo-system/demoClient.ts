// A minimal cookie-keeping HTTP client for the demo system's tests: plain
// fetch, redirects not followed, the SID cookie managed by hand.
import { DEMO_PASSWORD, DEMO_USER } from './credentials.js';

export interface DemoResponse {
  status: number;
  /** The Location header, for redirects. */
  location: string | null;
  text: string;
  headers: Headers;
}

export class DemoClient {
  /** Current value of the SID cookie, if any. */
  sid: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request(path: string, init: RequestInit = {}): Promise<DemoResponse> {
    const headers = new Headers(init.headers);
    if (this.sid) headers.set('cookie', `SID=${this.sid}`);
    const res = await fetch(this.baseUrl + path, { ...init, headers, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const m = /^SID=([^;]*)/.exec(cookie);
      if (m) this.sid = m[1] ? m[1] : undefined;
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers };
  }

  get(path: string): Promise<DemoResponse> {
    return this.request(path);
  }

  /** POST urlencoded fields, or a FormData as multipart/form-data. */
  post(path: string, body: Record<string, string> | FormData): Promise<DemoResponse> {
    return this.request(path, { method: 'POST', body: body instanceof FormData ? body : new URLSearchParams(body) });
  }

  async login(user = DEMO_USER, password = DEMO_PASSWORD): Promise<DemoResponse> {
    return this.post('/login', { username: user, password });
  }
}

/** All values of `id="…"` in a page. */
export function idsOf(html: string): string[] {
  return [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1] ?? '');
}

/** The value of the hidden draft token on the step 3 page. */
export function tokenOf(html: string): string {
  const m = /name="token" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no token on the page');
  return m[1];
}
