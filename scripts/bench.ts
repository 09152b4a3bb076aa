// `npm run bench`: runs every scripts/bench/*.bench.ts in turn (each prints its figures and ratios).
// `npm run bench -- demo` runs only the files whose name contains "demo"; `--flags` are left to the suites.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(import.meta.dirname, 'bench');
const filter = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
for (const file of files) {
  console.log(`\n## ${file}`);
  await import(pathToFileURL(resolve(dir, file)).href);
}
if (files.length === 0) console.log('no benchmarks found in scripts/bench/');
