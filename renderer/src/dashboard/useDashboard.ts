// The dashboard's figures from the main process, kept fresh by its change events (lib/queries.ts), the last figures
// kept on screen while new ones come.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DashboardFigures, DashboardQuery } from '../../../shared/dashboard';
import { api } from '../api';
import { data } from '../lib/result';

export const useDashboard = (query: DashboardQuery) =>
  useQuery({
    queryKey: ['dashboard', query],
    queryFn: () => data<DashboardFigures>(api.dashboard.figures(query)),
    placeholderData: keepPreviousData,
  });
