import type { DigestContent, DigestFigure } from './build-digest.ts';

/** A figure in words: durations in h/d/min, rates in %, lines and counts as numbers; `—` without data. */
export function formatFigure(unit: DigestFigure['unit'] | 'per_week', value: number | null): string {
  if (value === null) return '—';
  if (unit === 'seconds') {
    if (value >= 86_400) return `${(value / 86_400).toFixed(1)} d`;
    if (value >= 3600) return `${(value / 3600).toFixed(1)} h`;
    return `${Math.round(value / 60)} min`;
  }
  if (unit === 'ratio') return `${Math.round(value * 100)} %`;
  if (unit === 'lines') return `${Math.round(value)} lines`;
  if (unit === 'per_week') return `${value.toFixed(1)}/week`;
  return String(Math.round(value * 10) / 10);
}

/**
 * How a figure moved, as the dashboard says it (docs/metrics.md, "Showing a change"): rates in
 * percentage points, other figures in %, a move from zero with its direction, `unchanged` when
 * it rounds to nothing, `no previous data` without a previous figure.
 */
export function describeMove(f: DigestFigure): string {
  if (f.value === null) return 'no data in the period';
  if (f.previous === null) return 'no previous data';
  const tone = (delta: number) => (delta > 0 === (f.better === 'higher') ? 'better' : 'worse');
  if (f.unit === 'ratio') {
    const pp = Math.round(f.value * 100) - Math.round(f.previous * 100);
    return pp === 0 ? 'unchanged' : `${pp > 0 ? '+' : '−'}${Math.abs(pp)} pp, ${tone(pp)}`;
  }
  const delta = f.value - f.previous;
  if (formatFigure(f.unit, f.value) === formatFigure(f.unit, f.previous)) return 'unchanged';
  if (f.previous === 0)
    return `${formatFigure(f.unit, 0)} → ${formatFigure(f.unit, f.value)}, ${tone(delta)}`;
  const pct = Math.round((delta / f.previous) * 100);
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct)} %, ${tone(delta)}`;
}

const statusText = {
  met: 'met',
  at_risk: 'at risk',
  missed: 'missed',
  no_data: 'no data',
  not_started: 'not started',
};
const statusIcon = { met: '✅', at_risk: '⚠️', missed: '❌', no_data: '·', not_started: '·' };
const waitText = {
  review: 'waits on a first review',
  author: 'waits on its author',
  merge: 'waits on the merge',
};

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
  /** Slack Block Kit blocks (incoming webhook body `{ text, blocks }`). */
  blocks: unknown[];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
// Slack mrkdwn: & < > are its control characters.
const escapeSlack = (s: string) =>
  s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

/** The lines of each part, shared by the three renderings so they say the same thing. */
function parts(d: DigestContent) {
  const figures = d.figures.map(
    (f) =>
      `${f.label}: ${formatFigure(f.unit, f.value)} (n = ${f.n}), ${describeMove(f)} (was ${formatFigure(f.unit, f.previous)}, n = ${f.previousN})`,
  );
  const goals = d.goals.map(
    (g) =>
      `${statusIcon[g.status]} ${g.text}: ${statusText[g.status]} (now ${formatFigure(g.unit === 'count' ? 'count' : g.unit, g.value)}, n = ${g.n})`,
  );
  const agreements = d.agreements.map((a) => `${a.label}: broken ${a.broken} of ${a.checked}`);
  const stuck = d.stuck.map(
    (s) =>
      `${s.repository}#${s.number} ${s.title}: open ${s.ageDays} days, ${s.waitingOn ? waitText[s.waitingOn] : 'open'}`,
  );
  const teams = d.teams.map((t) => `${t.name}: ${t.met} met, ${t.atRisk} at risk, ${t.missed} missed`);
  return { figures, goals, agreements, stuck, teams };
}

/**
 * Renders a digest three ways with the same content: plain text (e-mail text part, `--dry-run`),
 * HTML (e-mail), Slack Block Kit (incoming webhook). Every figure carries its n; rates move in pp.
 */
export function renderDigest(d: DigestContent): RenderedDigest {
  const p = parts(d);
  const periodText = `${d.period.from} – ${d.period.to} (to exclusive) vs ${d.previousPeriod.from} – ${d.previousPeriod.to}`;
  const subject = `Stride digest: ${d.name}, ${d.period.from} to ${d.period.to}`;
  const sections: [string, string[]][] = [
    ['What changed', p.figures],
    ['Goals', p.goals],
    ['Working agreements', p.agreements],
    ['Stuck PRs', p.stuck],
    ['Teams', p.teams],
  ];
  const shown = sections.filter(([, lines]) => lines.length > 0);
  const text = [
    subject,
    periodText,
    '',
    ...shown.flatMap(([title, lines]) => [title, ...lines.map((l) => `- ${l}`), '']),
    `Open in Stride: ${d.link}`,
    ...d.teams.map((t) => `${t.name}: ${t.link}`),
  ].join('\n');
  const html = [
    `<h2>${escapeHtml(subject)}</h2>`,
    `<p>${escapeHtml(periodText)}</p>`,
    ...shown.map(
      ([title, lines]) =>
        `<h3>${escapeHtml(title)}</h3><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    ),
    `<p><a href="${escapeHtml(d.link)}">Open in Stride</a></p>`,
    ...d.teams.map((t) => `<p><a href="${escapeHtml(t.link)}">${escapeHtml(t.name)}</a></p>`),
  ].join('\n');
  const blocks: unknown[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `${d.name}: digest ${d.period.from} – ${d.period.to}` },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(periodText) }] },
    ...shown.map(([title, lines]) => ({
      type: 'section',
      // Block Kit limits a section's text to 3000 characters.
      text: {
        type: 'mrkdwn',
        text: `*${escapeSlack(title)}*\n${lines.map((l) => `• ${escapeSlack(l)}`).join('\n')}`.slice(0, 3000),
      },
    })),
    {
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Stride' }, url: d.link }],
    },
  ];
  return { subject, text, html, blocks };
}
