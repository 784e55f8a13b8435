// Server state for the screens (TanStack Query over window.api), kept fresh by the main process's change events.
import { QueryClient, useQuery } from '@tanstack/react-query';
import type { AppSession, BackupEntry, LockState, Settings, SyncStatus } from '../../../shared/desktop';
import type { Achievement } from '../../../shared/schemas/achievement';
import type { Learner } from '../../../shared/schemas/learner';
import type { Profile } from '../../../shared/schemas/profile';
import { api } from '../api';
import { ApiError, data } from './result';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Data is local and pushed when it changes: no refetch on focus, no retry of a definite answer.
      refetchOnWindowFocus: false,
      staleTime: 30_000,
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

api.subscribe((events) => {
  for (const event of events) {
    if (event.collection === 'learners') {
      void queryClient.invalidateQueries({ queryKey: ['learners'] });
      void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
      for (const id of event.ids) void queryClient.invalidateQueries({ queryKey: ['learner', id] });
    } else if (event.collection === 'learner_profiles') {
      void queryClient.invalidateQueries({ queryKey: ['profile'] });
      // The dashboard counts profiles, and the list can be filtered by them.
      void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
      void queryClient.invalidateQueries({ queryKey: ['learners'] });
    } else if (event.collection === 'achievements') {
      void queryClient.invalidateQueries({ queryKey: ['achievements'] });
    } else if (event.collection === 'sync') {
      void queryClient.invalidateQueries({ queryKey: ['sync'] });
    } else if (event.collection === 'lock') {
      void queryClient.invalidateQueries({ queryKey: ['lock'] });
    }
  }
});

export const useLearner = (uuid: string) =>
  useQuery({ queryKey: ['learner', uuid], queryFn: () => data<Learner>(api.learner.get(uuid)) });

/** The learner's profile, or null when they have none yet. */
export const useProfile = (learnerId: string) =>
  useQuery({
    queryKey: ['profile', learnerId],
    queryFn: async () => {
      const result = await api.learnerProfile.getByLearner(learnerId);
      if (result.status === 404 && result.body.message.startsWith('LearnerProfile')) return null;
      return data<Profile>(Promise.resolve(result));
    },
  });

/** A list's page and how many match in all, the shape every list answers. */
export interface ListPage<T> {
  records: T[];
  total_count: number;
}

export const useAchievements = () =>
  useQuery({
    queryKey: ['achievements'],
    queryFn: async () => (await data<ListPage<Achievement>>(api.achievement.list({ limit: 100 }))).records,
  });

export const useSyncStatus = () =>
  useQuery({ queryKey: ['sync', 'status'], queryFn: () => data<SyncStatus>(api.sync.status()), refetchInterval: 15_000 });

/** Kiosk or not, and whose kiosk session this is. The main process may end a session by itself (idle), so it is
 * asked again now and then. */
export const useAppSession = () =>
  useQuery({ queryKey: ['session'], queryFn: () => data<AppSession>(api.app.session()), refetchInterval: 15_000, staleTime: 0 });

/** A kiosk session ended or changed hands: every cached answer goes, and the session is asked for again. */
export async function forgetAllButSession(): Promise<void> {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
  await queryClient.invalidateQueries({ queryKey: ['session'] });
}

/**
 * Whether the data is open and unlocked: asked before anything else, again on every lock event and now and then (the
 * main process also locks by itself when idle).
 */
export const useLockState = () =>
  useQuery({ queryKey: ['lock'], queryFn: () => data<LockState>(api.app.lockState()), refetchInterval: 15_000, staleTime: 0 });

/** The app locked: every answer it held goes from memory; only the lock state stays. */
export function forgetAllButLock(): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'lock' });
}

export const useBackups = () => useQuery({ queryKey: ['backups'], queryFn: () => data<BackupEntry[]>(api.app.listBackups()) });

export const useSettings = () => useQuery({ queryKey: ['settings'], queryFn: () => data<Settings>(api.settings.get()) });

export const useRecordStates = (ids: string[], enabled: boolean) =>
  useQuery({
    queryKey: ['sync', 'records', ids],
    queryFn: () => data<Record<string, 'synced' | 'pending' | 'conflict' | 'rejected'>>(api.learner.syncStates(ids)),
    enabled: enabled && ids.length > 0,
  });
