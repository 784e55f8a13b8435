// Device settings, as a local (never replicated) document; the token only ever sealed by the SecretBox. A token
// belongs to one server: a new server address forgets it, so it is never sent to whatever host was typed.
import { hostname } from 'node:os';
import { DEFAULT_AUTO_LOCK_MINUTES, DEFAULT_BACKUPS_TO_KEEP, type DeviceIdentity, type Language, type Settings, type SettingsUpdate } from '../shared/desktop';
import type { AppDatabase } from './db/database';
import type { SecretBox } from './secrets';

const SETTINGS = 'settings';

interface StoredSettings {
  serverUrl: string | null;
  deviceName: string;
  sealedToken: string | null;
  /** Packaged builds open DevTools only when this is on (support staff), from the next start. */
  developerTools?: boolean;
  autoLockMinutes?: number;
  backupsToKeep?: number;
  /** What the server said this device is, for the token it was told at the last connection. */
  identity?: DeviceIdentity | null;
  language?: Language;
}

export interface SettingsService {
  get(): Promise<Settings>;
  update(changes: SettingsUpdate): Promise<Settings>;
  /** The server to sync with, or undefined when sync is not configured. */
  connection(): Promise<{ serverUrl: string; token: string; deviceName: string } | undefined>;
  /** What the server says this device is (at each connection): shown in Settings, used to sign and place records. */
  setIdentity(identity: DeviceIdentity): Promise<void>;
  /** Hears every saved change. */
  onChange(listener: (settings: Settings) => void): void;
}

export function createSettings(db: AppDatabase, secrets: SecretBox, kiosk: { enabled: boolean; idleSeconds: number }): SettingsService {
  const read = async (): Promise<StoredSettings> =>
    ((await db.getLocal<StoredSettings>(SETTINGS))?.toMutableJSON().data as StoredSettings | undefined) ?? { serverUrl: null, deviceName: hostname(), sealedToken: null };
  const view = (stored: StoredSettings): Settings => ({
    serverUrl: stored.serverUrl,
    deviceName: stored.deviceName,
    hasToken: stored.sealedToken !== null,
    kiosk: kiosk.enabled,
    kioskIdleSeconds: kiosk.idleSeconds,
    developerTools: stored.developerTools ?? false,
    autoLockMinutes: stored.autoLockMinutes ?? DEFAULT_AUTO_LOCK_MINUTES,
    backupsToKeep: stored.backupsToKeep ?? DEFAULT_BACKUPS_TO_KEEP,
    identity: stored.identity ?? null,
    language: stored.language ?? null,
  });

  const listeners = new Set<(settings: Settings) => void>();
  const save = async (next: StoredSettings) => {
    await db.upsertLocal(SETTINGS, next);
    for (const listener of listeners) listener(view(next));
    return view(next);
  };
  const identityKept = (current: StoredSettings, serverUrl: string | null, token: string | null | undefined) =>
    serverUrl === current.serverUrl && (token === undefined || token === null) ? (current.identity ?? null) : null;
  return {
    get: async () => view(await read()),
    onChange: (listener) => void listeners.add(listener),
    async update(changes) {
      const current = await read();
      const serverUrl = changes.serverUrl === undefined || changes.serverUrl === null ? current.serverUrl : changes.serverUrl || null;
      // Another server, another token: the old one is not sent there (a token given with the new address is kept).
      const keptToken = serverUrl === current.serverUrl ? current.sealedToken : null;
      const next: StoredSettings = {
        serverUrl,
        deviceName: changes.deviceName ?? current.deviceName,
        sealedToken:
          changes.token === undefined || changes.token === null
            ? keptToken
            : changes.token === ''
              ? null
              : secrets.seal(changes.token),
        developerTools: changes.developerTools ?? current.developerTools ?? false,
        autoLockMinutes: changes.autoLockMinutes ?? current.autoLockMinutes,
        backupsToKeep: changes.backupsToKeep ?? current.backupsToKeep,
        language: changes.language ?? current.language,
        // Another token or server may be someone else: known again at the next connection.
        identity: identityKept(current, serverUrl, changes.token),
      };
      return save(next);
    },
    async setIdentity(identity) {
      const current = await read();
      if (JSON.stringify(current.identity) !== JSON.stringify(identity)) await save({ ...current, identity });
    },
    async connection() {
      const stored = await read();
      if (!stored.serverUrl || !stored.sealedToken) return undefined;
      return { serverUrl: stored.serverUrl, token: secrets.open(stored.sealedToken), deviceName: stored.deviceName };
    },
  };
}
