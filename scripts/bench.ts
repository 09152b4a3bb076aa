// `npm run bench`: runs every scripts/bench/*.bench.ts in turn (each prints its figures and ratios).
// `npm run bench -- demo` runs only the files whose name contains "demo"; `--size small|large|xl`
// (default small, defined once in @stride/testkit BENCH_SIZES) is checked here and read by the
// suites that scale with it; the others ignore it. Other `--flags` (and their values) are left to the suites.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseBenchSize } from '@stride/testkit';

const args = process.argv.slice(2);
let size: string;
try {
  size = parseBenchSize(args);
} catch (error) {
  console.error(`npm run bench: ${(error as Error).message}`);
  process.exit(2);
}
// The filter is the first word that is neither a flag nor a flag's value.
const filter = args.find((a, i) => !a.startsWith('--') && !(i > 0 && /^--[^=]+$/.test(args[i - 1]!))) ?? '';
const dir = resolve(import.meta.dirname, 'bench');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
// At `small` (CI) the suites that need minutes whatever the size are skipped, each with its reason.
const SKIPPED_AT_SMALL: Record<string, string> = {
  'overview.bench.ts':
    'builds the dashboard and drives Chromium over a 50-team organisation (minutes); run with --size large or --teams=N',
  'demo-generate.bench.ts':
    'loads 8- and 16-team demo organisations through the per-row upserts (minutes); scale-load covers loading at small',
  'github-sync.bench.ts':
    'syncs 600 PRs through the collector twice against the fake GitHub (minutes); run with --size large or --prs N',
  'jira-sync-and-webhooks.bench.ts':
    'syncs a generated Jira project and replays webhooks (minutes); run with --size large',
};
console.log(`size: ${size}`);
for (const file of files) {
  console.log(`\n## ${file}`);
  // `--prs N` sizes the GitHub collection itself, as its skip message says; `--teams=N` the overview.
  const sized =
    (file === 'github-sync.bench.ts' && args.includes('--prs')) ||
    (file === 'overview.bench.ts' && args.some((a) => a.startsWith('--teams=')));
  const skip = size === 'small' && !sized ? SKIPPED_AT_SMALL[file] : undefined;
  if (skip) {
    console.log(`skipped at --size small: ${skip}`);
    continue;
  }
  await import(pathToFileURL(resolve(dir, file)).href);
}
if (files.length === 0) console.log('no benchmarks found in scripts/bench/');
