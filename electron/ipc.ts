// IPC: one `ipcMain.handle` per operation id, answering only our own window's top frame; and the change feed,
// pushed to the windows that subscribed.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { fail } from '../shared/result';
import type { Api } from './api/api';
import type { Log } from './log';
import type { EventFeed } from './runtime';

export const CHANGES_CHANNEL = 'changes';
export const SUBSCRIBE_CHANNEL = 'changes:subscribe';

export type SenderCheck = (frame: WebFrameMain | null) => boolean;

/** `events` is already what the screens may hear (the app lock and kiosk mode applied). */
export function registerIpc(ipcMain: IpcMain, api: Api, events: EventFeed, trusted: SenderCheck, log: Log): () => void {
  const refuse = (event: IpcMainEvent | IpcMainInvokeEvent, channel: string) => {
    log.warn('refused IPC from a foreign frame', { channel, url: event.senderFrame?.url ?? null });
  };

  for (const id of api.ids) {
    ipcMain.handle(id, async (event, ...args: unknown[]) => {
      if (!trusted(event.senderFrame)) {
        refuse(event, id);
        return fail(403, 'Forbidden');
      }
      return api.handle(id, args);
    });
  }

  ipcMain.on(SUBSCRIBE_CHANNEL, (event) => {
    if (!trusted(event.senderFrame)) return refuse(event, SUBSCRIBE_CHANNEL);
    const contents = event.sender;
    const unsubscribe = events.subscribe((visible) => {
      if (!contents.isDestroyed()) contents.send(CHANGES_CHANNEL, visible);
    });
    contents.once('destroyed', unsubscribe);
  });

  return () => {
    for (const id of api.ids) ipcMain.removeHandler(id);
    ipcMain.removeAllListeners(SUBSCRIBE_CHANNEL);
  };
}
