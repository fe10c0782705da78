// The transport for every screen, and hooks over it.
import { createContext, useContext, useEffect, useRef } from 'react';
import { ApiError, SESSION_EXPIRED, type Pushed, type Transport } from './transport.js';

export const TransportContext = createContext<Transport | undefined>(undefined);

export function useTransport(): Transport {
  const transport = useContext(TransportContext);
  if (!transport) throw new Error('no transport: render inside <TransportContext.Provider>');
  return transport;
}

/** Calls `listener` for each pushed message while the component is mounted. */
export function usePushed(listener: (message: Pushed) => void): void {
  const transport = useTransport();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => transport.subscribe((message) => latest.current(message)), [transport]);
}

/**
 * What a screen says of a failed call. Undefined for a session the studio's restart ended: the page says that once,
 * in its own banner, and no screen repeats it beside it.
 */
export function errorText(error: unknown): string | undefined {
  if (error instanceof ApiError && error.name === SESSION_EXPIRED) return undefined;
  return error instanceof Error ? error.message : String(error);
}
