import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, hashToken } from './create-api-token.ts';
import { listApiTokens, revokeApiTokensByReference } from './manage-api-tokens.ts';

/** A secret whose hash's first 8 hex digits are all decimal digits (about 1 in 43 are). */
function secretWithDigitPrefix(): string {
  for (let i = 0; ; i++) {
    const secret = `stride_digit_prefix_${i}`;
    if (/^\d{8}/.test(hashToken(secret))) return secret;
  }
}

describe('revokeApiTokensByReference (npm run token -- revoke <ref>)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('revokes by a listed hash prefix made only of digits (was read as an id and matched nothing)', async () => {
    const secret = secretWithDigitPrefix();
    const { id } = await createApiToken(t.db, { name: 'grafana', role: 'viewer', token: secret });
    const prefix = hashToken(secret).slice(0, 8);
    expect((await listApiTokens(t.db)).find((r) => r.id === id)?.hashPrefix).toBe(prefix);
    expect(await revokeApiTokensByReference(t.db, prefix, 'admin')).toEqual([id]);
    expect((await listApiTokens(t.db)).some((r) => r.id === id)).toBe(false);
  });

  it('revokes by id, and by a hex prefix; a reference matching nothing revokes nothing', async () => {
    const byId = await createApiToken(t.db, { name: 'by-id', role: 'viewer' });
    const byPrefix = await createApiToken(t.db, { name: 'by-prefix', role: 'admin' });
    expect(await revokeApiTokensByReference(t.db, byId.id, 'admin')).toEqual([byId.id]);
    const prefix = hashToken(byPrefix.token).slice(0, 10).toUpperCase();
    expect(await revokeApiTokensByReference(t.db, prefix, 'admin')).toEqual([byPrefix.id]);
    expect(await revokeApiTokensByReference(t.db, 'abc', 'admin')).toEqual([]);
    expect(await revokeApiTokensByReference(t.db, byId.id, 'admin')).toEqual([]);
  });
});
