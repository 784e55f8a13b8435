// The screens' only way to the main process. In Electron the preload provides `window.api` over IPC; in the browser
// preview the same client is built over HTTP (`POST /api/<operation id>`, change events over SSE).
import { buildClient, type ApiClient } from '../../shared/client';
import type { ChangeEvent } from '../../shared/desktop';
import type { Result } from '../../shared/result';

declare global {
  interface Window {
    api?: ApiClient;
  }
}

function bridgeClient(): ApiClient {
  const listeners = new Set<(events: ChangeEvent[]) => void>();
  let source: EventSource | undefined;
  const connect = () => {
    source = new EventSource('/api/events');
    source.onmessage = (message) => {
      const events = JSON.parse(message.data) as ChangeEvent[];
      for (const listener of listeners) listener(events);
    };
  };
  return buildClient(
    async (id, args) => {
      try {
        const response = await fetch(`/api/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(args),
        });
        return (await response.json()) as Result;
      } catch {
        return { status: 503, body: { success: false, message: 'The app service is not reachable', data: null } };
      }
    },
    (listener) => {
      listeners.add(listener);
      if (!source) connect();
      return () => listeners.delete(listener);
    },
  );
}

export const api: ApiClient = window.api ?? bridgeClient();
