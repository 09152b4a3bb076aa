import { resolveRetroDate, retroPeriods } from '../../lib/period.ts';
import { useDashboardFilters } from '../filters/use-dashboard-filters.ts';
import { GoalStatusList } from './goal-status-list.tsx';

/** The team's goals judged on the period since the chosen retro date (the retro view's period). */
export function RetroGoals({ team }: { team: string }) {
  const { filters, retro } = useDashboardFilters();
  const periods = retroPeriods(resolveRetroDate(retro ?? null, filters.to), filters.to);
  return <GoalStatusList team={team} period={periods.current} title="Goals since the last retro" />;
}
