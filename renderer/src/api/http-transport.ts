// The transport of `rpa studio`: REST calls with the session token as a Bearer header, and a
// WebSocket (token in the query: browsers cannot set its headers) for pushed messages.
import { ROUTES, WS_PATH, artifactPath, pathParams } from '../../../engine/transport/routes.js';
import { ApiError, type Method, type Pushed, type RequestOf, type ResponseOf, type Transport } from './transport.js';

export class HttpTransport implements Transport {
  private socket: WebSocket | undefined;
  private readonly listeners = new Set<(message: Pushed) => void>();
  private retryMs = 500;

  constructor(private readonly token: string) {}

  async call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
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
    const response = await fetch(artifactPath(runId, name), { headers: { authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw new ApiError('NotFoundError', `artifact ${name}: HTTP ${response.status}`, undefined, response.status);
    return URL.createObjectURL(await response.blob());
  }

  private connect(): void {
    if (this.socket) return;
    const socket = new WebSocket(`ws://${location.host}${WS_PATH}?token=${encodeURIComponent(this.token)}`);
    this.socket = socket;
    socket.onopen = () => (this.retryMs = 500);
    socket.onmessage = (message) => {
      const parsed = JSON.parse(String(message.data)) as Pushed;
      for (const listener of this.listeners) listener(parsed);
    };
    socket.onclose = () => {
      this.socket = undefined;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }
}
