import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const start = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url));

/** Runs `npm start`'s entry point (without the web build) as a process: exit code and stderr. */
async function runStart(env: Record<string, string>) {
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', start], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      // Generous: a loaded 2-core CI machine once needed more than 30 s to start tsx (killed, stderr empty).
      timeout: 150_000,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

describe('npm start with a bad configuration', () => {
  it('fails naming the file and the key path before starting an embedded database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stride-start-bad-config-'));
    const path = join(dir, 'stride.config.yaml');
    await writeFile(path, 'teams:\n  - slug: core\n    name: Core\n    timezone: Mars/Olympus\n');
    const dataDir = join(dir, 'data');
    // No DATABASE_URL: a start that got past the config would create an embedded server here.
    const result = await runStart({ STRIDE_CONFIG: path, STRIDE_DATA_DIR: dataDir, PORT: '0' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(path);
    expect(result.stderr).toContain('teams[0].timezone');
    expect(existsSync(dataDir)).toBe(false);
  }, 180_000);
});
