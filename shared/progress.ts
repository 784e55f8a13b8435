// How far a long operation (an import, an export) has got. The service reports it; a host may show it (the desktop's screens,
// through the change feed) and yields its event loop in the report, so long work never blocks it for long.

export interface Progress {
  operation: string;
  phase: 'checking' | 'saving' | 'writing';
  done: number;
  total: number;
}

export type ProgressReporter = (progress: Progress) => Promise<void>;

export const noProgress: ProgressReporter = async () => {};
