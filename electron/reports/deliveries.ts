// How a file made by the main process reaches the counselor. The app asks where to save it (electron-files.ts);
// the browser preview hands out a one-time download link instead. A report holds personal data: the preview keeps
// it in memory for a few minutes, never as a plaintext file beside the encrypted database, and forgets it when the
// app locks.
import { randomId } from '../../shared/ids';
import type { Delivery } from '../../shared/desktop';

export interface OutgoingFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

export type Deliver = (file: OutgoingFile) => Promise<Delivery>;

export const DOWNLOAD_PATH = '/api/downloads/';
const KEEP_MS = 10 * 60 * 1000;
const KEEP_FILES = 4;

export class Downloads {
  private readonly files = new Map<string, { file: OutgoingFile; expires: number }>();
  private readonly clock: () => number;

  constructor(clock: () => number = () => Date.now()) {
    this.clock = clock;
  }

  readonly deliver: Deliver = async (file) => {
    this.forgetOld();
    // The oldest go first: a counselor who exports again does not need the last file's link.
    while (this.files.size >= KEEP_FILES) this.files.delete(this.files.keys().next().value!);
    const token = `${randomId()}${randomId()}`;
    this.files.set(token, { file, expires: this.clock() + KEEP_MS });
    return { kind: 'download', url: `${DOWNLOAD_PATH}${token}` };
  };

  /** The file behind a link, once: a second request for it, or one after it expired, gets nothing. */
  take(token: string): OutgoingFile | undefined {
    this.forgetOld();
    const entry = this.files.get(token);
    this.files.delete(token);
    return entry?.file;
  }

  /** Forgets every file waiting (the app locked, or its data closed): a link handed out before then gives nothing. */
  clear(): void {
    this.files.clear();
  }

  private forgetOld() {
    const now = this.clock();
    for (const [token, entry] of this.files) if (entry.expires <= now) this.files.delete(token);
  }
}
