// The transport for every screen, and hooks over it.
import { createContext, useContext, useEffect, useRef } from 'react';
import type { Pushed, Transport } from './transport.js';

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

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
