import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHubServer, startFakeGitHubServer } from './github-api-server.ts';

// The fake checks credentials as GitHub does: tokens, a GitHub App's RS256 JWT (iss = app id,
// exp at most 10 minutes after iat) on /app endpoints only, and installation tokens until they expire.

const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

function jwt(claims: Record<string, unknown>, privateKey = key.privateKey): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
  const signature = createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url');
  return `${body}.${signature}`;
}
const now = () => Math.floor(Date.now() / 1000);

describe('fake GitHub credentials', () => {
  let server: FakeGitHubServer;
  beforeAll(async () => {
    server = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { owner: 'acme', repositories: 1, pullsPerRepository: 2 },
      auth: {
        tokens: ['ghp_one'],
        app: {
          id: 99,
          publicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          installations: [{ id: 5, account: 'acme' }],
          tokenLifetimeSeconds: 1,
        },
      },
    });
  });
  afterAll(() => server.close());

  const call = (path: string, authorization?: string, method = 'GET') =>
    fetch(`${server.url}${path}`, { method, headers: authorization ? { authorization } : {} });

  it('answers 401 without credentials or with an unknown token; a token has its own budget', async () => {
    expect((await call('/repos/acme/service-1')).status).toBe(401);
    expect(await (await call('/repos/acme/service-1', 'token nope')).json()).toMatchObject({
      message: 'Bad credentials',
    });
    const ok = await call('/repos/acme/service-1', 'token ghp_one');
    expect(ok.status).toBe(200);
    expect(server.requests.at(-1)!.credential).toBe('token:1');
  });

  it('an app JWT lists installations and creates tokens; refused when badly signed, too long or elsewhere', async () => {
    const good = jwt({ iat: now() - 60, exp: now() + 540, iss: 99 });
    const list = await call('/app/installations', `Bearer ${good}`);
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject([{ id: 5, account: { login: 'acme' } }]);
    expect(
      (await call('/app/installations', `Bearer ${jwt({ iat: now(), exp: now() + 900, iss: 99 })}`)).status,
    ).toBe(401);
    expect(
      (
        await call(
          '/app/installations',
          `Bearer ${jwt({ iat: now(), exp: now() + 60, iss: 99 }, other.privateKey)}`,
        )
      ).status,
    ).toBe(401);
    expect(
      (await call('/app/installations', `Bearer ${jwt({ iat: now(), exp: now() + 60, iss: 98 })}`)).status,
    ).toBe(401);
    expect((await call('/repos/acme/service-1', `Bearer ${good}`)).status).toBe(401);
    expect((await call('/app/installations/6/access_tokens', `Bearer ${good}`, 'POST')).status).toBe(404);
    const created = await call('/app/installations/5/access_tokens', `Bearer ${good}`, 'POST');
    expect(created.status).toBe(201);
    const { token, expires_at } = (await created.json()) as { token: string; expires_at: string };
    expect(token).toMatch(/^ghs_/);
    expect(expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await call('/repos/acme/service-1', `token ${token}`)).status).toBe(200);
    expect(server.requests.at(-1)!.credential).toBe('installation:5');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call('/repos/acme/service-1', `token ${token}`)).status).toBe(401);
  });
});
