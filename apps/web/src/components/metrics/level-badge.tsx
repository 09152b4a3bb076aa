import type { PerformanceLevel } from '@stride/shared';
import { levelInfo, levelText } from '../../lib/format.ts';

/** A performance level as icon + name on its tint: colour is never the only cue. */
export function LevelBadge({ level }: { level: PerformanceLevel | null }) {
  if (!level) return <span className="level-badge level-none">{levelText(null)}</span>;
  const info = levelInfo[level];
  return (
    <span
      className={`level-badge level-${level}`}
      style={{ color: info.color, background: info.tint, borderColor: info.color }}
      title={`${info.label} performance level`}
    >
      <span aria-hidden="true">{info.icon}</span> {info.label}
    </span>
  );
}
