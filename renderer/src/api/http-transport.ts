// The transport of `rpa studio`: REST calls with the session token as a Bearer header, and a
// WebSocket (token in the query: browsers cannot set its headers) for pushed messages. A 401
// means the studio no longer knows this page's token (it restarted): the session has ended,
// the page stops asking (no stream of refused requests) and says so once.
import { ROUTES, WS_PATH, artifactPath, pathParams } from '../../../engine/transport/routes.js';
import { ApiError, SESSION_EXPIRED, type Method, type Pushed, type RequestOf, type ResponseOf, type Transport } from './transport.js';

const EXPIRED_MESSAGE = 'this page is out of date: the studio was restarted; reopen it from the tray';

export class HttpTransport implements Transport {
  private socket: WebSocket | undefined;
  private readonly listeners = new Set<(message: Pushed) => void>();
  private retryMs = 500;
  private expired = false;
  private readonly expiredListeners = new Set<() => void>();

  constructor(private readonly token: string) {}

  onExpired(listener: () => void): () => void {
    this.expiredListeners.add(listener);
    if (this.expired) listener();
    return () => this.expiredListeners.delete(listener);
  }

  private expire(): void {
    if (this.expired) return;
    this.expired = true;
    this.socket?.close();
    for (const listener of this.expiredListeners) listener();
  }

  private expiredError(): ApiError {
    return new ApiError(SESSION_EXPIRED, EXPIRED_MESSAGE, undefined, 401);
  }

  async call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
    if (this.expired) throw this.expiredError();
    const route = ROUTES[method];
    const rest: Record<string, unknown> = { ...(request as Record<string, unknown>) };
    let url = route.path;
    for (const name of pathParams(route)) {
      url = url.replace(`:${name}`, encodeURIComponent(String(rest[name])));
      delete rest[name];
    }
    const init: RequestInit = { method: route.verb, headers: { authorization: `Bearer ${this.token}` } };
    if (route.verb === 'GET' || route.verb === 'DELETE') {
      const query = new URLSearchParams(Object.entries(rest).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
      if ([...query].length) url += `?${query}`;
    } else {
      init.headers = { ...init.headers, 'content-type': 'application/json' };
      init.body = JSON.stringify(rest);
    }
    const response = await fetch(url, init);
    if (response.status === 401) {
      this.expire();
      throw this.expiredError();
    }
    const body = (await response.json().catch(() => ({}))) as { error?: { name: string; message: string; details?: Record<string, unknown> } };
    if (!response.ok) {
      const error = body.error ?? { name: 'Error', message: `${method}: HTTP ${response.status}` };
      throw new ApiError(error.name, error.message, error.details, response.status);
    }
    return body as ResponseOf<M>;
  }

  subscribe(listener: (message: Pushed) => void): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => this.listeners.delete(listener);
  }

  async artifactUrl(runId: string, name: string): Promise<string> {
    if (this.expired) throw this.expiredError();
    const response = await fetch(artifactPath(runId, name), { headers: { authorization: `Bearer ${this.token}` } });
    if (response.status === 401) {
      this.expire();
      throw this.expiredError();
    }
    if (!response.ok) throw new ApiError('NotFoundError', `artifact ${name}: HTTP ${response.status}`, undefined, response.status);
    return URL.createObjectURL(await response.blob());
  }

  /** A closed push channel may mean the studio restarted: one plain request tells (a 401). */
  private async probe(): Promise<void> {
    try {
      const response = await fetch(ROUTES['session.info'].path, { headers: { authorization: `Bearer ${this.token}` } });
      if (response.status === 401) this.expire();
    } catch {
      // Not reachable now: the reconnect loop tries again.
    }
  }

  private connect(): void {
    if (this.socket || this.expired) return;
    const socket = new WebSocket(`ws://${location.host}${WS_PATH}?token=${encodeURIComponent(this.token)}`);
    this.socket = socket;
    socket.onopen = () => (this.retryMs = 500);
    socket.onmessage = (message) => {
      const parsed = JSON.parse(String(message.data)) as Pushed;
      for (const listener of this.listeners) listener(parsed);
    };
    socket.onclose = () => {
      this.socket = undefined;
      if (this.expired) return;
      const delay = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
      void this.probe().then(() => setTimeout(() => this.connect(), delay));
    };
  }
}
