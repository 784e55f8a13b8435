// The preload (built as CommonJS, so the window keeps its sandbox): one typed function per operation, generated
// from the shared table, plus the change subscription. Nothing else reaches the page: no raw ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import { buildClient } from '../shared/client';
import type { ChangeEvent } from '../shared/desktop';
import type { Result } from '../shared/result';

const CHANGES_CHANNEL = 'changes';
const SUBSCRIBE_CHANNEL = 'changes:subscribe';

const listeners = new Set<(events: ChangeEvent[]) => void>();
let subscribed = false;
ipcRenderer.on(CHANGES_CHANNEL, (_event, events: ChangeEvent[]) => {
  for (const listener of listeners) listener(events);
});

const api = buildClient(
  (id, args) => ipcRenderer.invoke(id, ...args) as Promise<Result>,
  (listener) => {
    listeners.add(listener);
    if (!subscribed) {
      subscribed = true;
      ipcRenderer.send(SUBSCRIBE_CHANNEL);
    }
    return () => {
      listeners.delete(listener);
    };
  },
);

contextBridge.exposeInMainWorld('api', api);
