// REST routes of the studio API: which HTTP verb and path carries which method. Shared by
// the server (engine/transport/http.ts) and the renderer's HTTP transport. Path parameters
// (`:name`) come from the request object; the rest goes in the query (GET, DELETE) or the
// JSON body.
import type { Method } from './messages.js';

export interface Route {
  verb: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

export const ROUTES: Record<Method, Route> = {
  'session.info': { verb: 'GET', path: '/api/session' },
  'automations.list': { verb: 'GET', path: '/api/automations' },
  'automations.get': { verb: 'GET', path: '/api/automations/:id' },
  'automations.validate': { verb: 'POST', path: '/api/automations/:id/validate' },
  'automations.save': { verb: 'PUT', path: '/api/automations/:id' },
  'automations.create': { verb: 'POST', path: '/api/automations' },
  'automations.diff': { verb: 'GET', path: '/api/automations/:id/diff' },
  'runs.start': { verb: 'POST', path: '/api/runs' },
  'runs.cancel': { verb: 'POST', path: '/api/runs/:runId/cancel' },
  'runs.list': { verb: 'GET', path: '/api/runs' },
  'runs.active': { verb: 'GET', path: '/api/active-runs' },
  'runs.get': { verb: 'GET', path: '/api/runs/:runId' },
  'runs.debug': { verb: 'POST', path: '/api/runs/:runId/debug' },
  'runs.testLocator': { verb: 'POST', path: '/api/runs/:runId/test-locator' },
  'schedules.list': { verb: 'GET', path: '/api/schedules' },
  'schedules.add': { verb: 'POST', path: '/api/schedules' },
  'schedules.remove': { verb: 'DELETE', path: '/api/schedules/:scheduleId' },
  'schedules.pause': { verb: 'POST', path: '/api/schedules/:scheduleId/pause' },
  'secrets.list': { verb: 'GET', path: '/api/secrets' },
  'secrets.set': { verb: 'PUT', path: '/api/secrets/:name' },
  'secrets.remove': { verb: 'DELETE', path: '/api/secrets/:name' },
  'settings.get': { verb: 'GET', path: '/api/settings' },
  'settings.save': { verb: 'PUT', path: '/api/settings' },
  'settings.testProvider': { verb: 'POST', path: '/api/settings/test-provider' },
  'recording.start': { verb: 'POST', path: '/api/recording' },
  'recording.stop': { verb: 'POST', path: '/api/recording/stop' },
  'reviews.list': { verb: 'GET', path: '/api/reviews' },
  'reviews.page': { verb: 'GET', path: '/api/reviews/:reviewId/pages/:page' },
  'reviews.resolve': { verb: 'POST', path: '/api/reviews/:reviewId/resolve' },
  'host.status': { verb: 'GET', path: '/api/host' },
  'host.pause': { verb: 'POST', path: '/api/host/pause' },
};

/** Names of a route's path parameters. */
export function pathParams(route: Route): string[] {
  return [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
}

/** Where a run's artifact is fetched (binary; outside the JSON API). */
export function artifactPath(runId: string, name: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/artifacts/${encodeURIComponent(name)}`;
}

export const WS_PATH = '/api/ws';
