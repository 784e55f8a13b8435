// preload.ts against a fake `electron`: exactly one thing reaches the page, `api`, with one function per operation
// over ipcRenderer.invoke, and the change subscription.
import { describe, expect, it, vi } from 'vitest';
import { apiOperationIds } from '../../shared/contract';
import { createFakeElectron } from '../support/fake-electron';

const state = vi.hoisted(() => ({ fake: undefined as unknown as ReturnType<typeof import('../support/fake-electron').createFakeElectron> }));
vi.mock('electron', () => state.fake.module);

describe('preload', () => {
  it('exposes only `api`: a function per operation and a change subscription', async () => {
    state.fake = createFakeElectron('/nonexistent');
    const { contextBridge, ipcRenderer } = state.fake.module;
    await import('../../electron/preload');

    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = contextBridge.exposeInMainWorld.mock.calls[0]! as [string, Record<string, unknown>];
    expect(name).toBe('api');
    const exposed = Object.entries(api).flatMap(([namespace, value]) =>
      typeof value === 'function' ? [namespace] : Object.keys(value as object).map((method) => `${namespace}.${method}`),
    );
    expect(exposed.sort()).toEqual([...apiOperationIds, 'subscribe'].sort());
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipcRenderer|invoke|send|require/);

    const client = api as { learnerProfile: { get(a: string, b: string): Promise<unknown> }; subscribe(l: (e: unknown) => void): () => void };
    const result = await client.learnerProfile.get('L1', 'P1');
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('learnerProfile.get', 'L1', 'P1');
    expect(result).toMatchObject({ status: 200 });

    const received: unknown[] = [];
    const unsubscribe = client.subscribe((events) => received.push(events));
    client.subscribe(() => {});
    expect(ipcRenderer.send.mock.calls).toEqual([['changes:subscribe']]);
    const events = [{ collection: 'learners', ids: ['x'] }];
    for (const listener of state.fake.rendererListeners.get('changes')!) listener({}, events);
    expect(received).toEqual([events]);
    unsubscribe();
    for (const listener of state.fake.rendererListeners.get('changes')!) listener({}, events);
    expect(received).toHaveLength(1);
  });
});
