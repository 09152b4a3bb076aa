import type { PerformanceLevel } from '@stride/shared';
import { levelInfo, levelText } from '../../lib/format.ts';
import { MIN_SAMPLE_SIZE } from '../../lib/sample.ts';

/**
 * A performance level as icon + name on its tint: colour is never the only cue. With `tooFew`
 * (fewer items than the minimum sample, docs/metrics.md) it reads "too few" instead of a level.
 */
export function LevelBadge({
  level,
  tooFew = false,
  sample,
}: {
  level: PerformanceLevel | null;
  tooFew?: boolean;
  /** The sample behind the level, e.g. `3 deployments`, for the "too few" tooltip. */
  sample?: string;
}) {
  if (level && tooFew) {
    return (
      <span
        className="level-badge level-too-few"
        data-level="too-few"
        title={`Too few to judge a level: ${sample ?? 'the sample'} in the period, fewer than ${MIN_SAMPLE_SIZE}`}
      >
        too few
      </span>
    );
  }
  if (!level) return <span className="level-badge level-none">{levelText(null)}</span>;
  const info = levelInfo[level];
  return (
    <span
      className={`level-badge level-${level}`}
      data-level={level}
      style={{ color: info.color, background: info.tint, borderColor: info.color }}
      title={`${info.label} performance level`}
    >
      <span aria-hidden="true">{info.icon}</span> {info.label}
    </span>
  );
}
