import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** Runs `npm run collect`'s entry point as a process; resolves with its exit code and stderr. */
async function runCollect(env: Record<string, string>) {
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', cli], {
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

describe('collector boot with a bad configuration', () => {
  it('exits non-zero naming the file and the key path of a bad stride.config.yaml, before touching a database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stride-bad-config-'));
    const path = join(dir, 'stride.config.yaml');
    await writeFile(path, 'teams:\n  - slug: core\n    name: Core\nsync:\n  intervalMinutes: soon\n');
    // An unreachable database: reaching it would hang or fail differently.
    const result = await runCollect({
      STRIDE_CONFIG: path,
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(path);
    expect(result.stderr).toContain('sync.intervalMinutes');
  }, 180_000);
});
