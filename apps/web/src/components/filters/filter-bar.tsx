import type { BenchmarkYear, Granularity } from '@stride/shared';
import { useState } from 'react';
import {
  defaultGranularity,
  type PeriodPreset,
  periodPresets,
  periodText,
  presetLabels,
  resolvePreset,
} from '../../lib/period.ts';
import { useDashboardFilters } from './use-dashboard-filters.ts';

/** Date-range presets, custom dates, granularity and benchmark year; all state lives in the URL. */
export function FilterBar({ showGranularity = true }: { showGranularity?: boolean }) {
  const { filters, setFilters } = useDashboardFilters();
  const [customFrom, setCustomFrom] = useState(filters.from);
  const [customTo, setCustomTo] = useState(filters.to);

  const choosePreset = (preset: PeriodPreset) => {
    if (preset === 'custom') {
      setFilters({ preset, from: customFrom, to: customTo });
    } else {
      const range = resolvePreset(preset, new Date());
      setCustomFrom(range.from);
      setCustomTo(range.to);
      // A new period gets its own default buckets (a year by month, not by the last view's weeks).
      setFilters({ preset, ...range, granularity: defaultGranularity(range.from, range.to, preset) });
    }
  };

  return (
    <form className="filter-bar" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="presets">
        <legend>Period</legend>
        {periodPresets.map((preset) => (
          <button
            key={preset}
            type="button"
            aria-pressed={filters.preset === preset}
            onClick={() => choosePreset(preset)}
          >
            {presetLabels[preset]}
          </button>
        ))}
      </fieldset>
      {filters.preset === 'custom' && (
        <fieldset className="custom-range">
          <legend>Custom range</legend>
          <label>
            From <input type="date" value={customFrom} onChange={(e) => setCustomFrom(e.target.value)} />
          </label>
          <label>
            To (exclusive){' '}
            <input type="date" value={customTo} onChange={(e) => setCustomTo(e.target.value)} />
          </label>
          <button
            type="button"
            disabled={!customFrom || !customTo || customFrom >= customTo}
            onClick={() =>
              setFilters({
                preset: 'custom',
                from: customFrom,
                to: customTo,
                granularity: defaultGranularity(customFrom, customTo, 'custom'),
              })
            }
          >
            Apply
          </button>
        </fieldset>
      )}
      {showGranularity && (
        <label>
          Trend by{' '}
          <select
            value={filters.granularity}
            onChange={(e) => setFilters({ granularity: e.target.value as Granularity })}
          >
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
            <option value="quarter">quarter</option>
          </select>
        </label>
      )}
      <label>
        Benchmark{' '}
        <select
          value={filters.benchmark}
          onChange={(e) => setFilters({ benchmark: Number(e.target.value) as BenchmarkYear })}
        >
          <option value={2023}>DORA 2023</option>
          <option value={2024}>DORA 2024</option>
        </select>
      </label>
      <span className="period-text" data-testid="period-text">
        {periodText(filters.from, filters.to)}
      </span>
    </form>
  );
}
