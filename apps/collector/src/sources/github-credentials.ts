import { createHash } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import type { Logger } from '../logger.ts';

/**
 * One credential the collector calls GitHub with: a personal access token, or a GitHub App
 * installation (whose access token is created from the app's JWT and refreshed before it expires).
 * `id` names its rate-limit budget (shared through PostgreSQL): a digest or an installation id,
 * never the secret.
 */
export interface GitHubCredential {
  id: string;
  /** The account (organisation or user login) an App installation is on; null: any repository. */
  account: string | null;
  /** A token valid for at least a few minutes. @throws when GitHub refuses to create one. */
  token(): Promise<string>;
}

/** Refresh an installation token this long before GitHub says it expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** A token credential; its budget name is a digest of the API URL and the token. */
export function tokenCredential(baseUrl: string, token: string): GitHubCredential {
  const digest = createHash('sha256')
    .update(`${baseUrl.replace(/\/$/, '')}\n${token}`)
    .digest('hex')
    .slice(0, 16);
  return { id: `token:${digest}`, account: null, token: async () => token };
}

export interface GitHubAppSettings {
  appId: number;
  /** PEM private key of the app (PKCS#1 or PKCS#8). */
  privateKey: string;
  /** Installations to use; default every installation of the app (`GET /app/installations`). */
  installationIds?: readonly number[] | undefined;
}

/**
 * The installations of a GitHub App as credentials: the app signs a JWT with its private key
 * (@octokit/auth-app) and creates each installation's access token with
 * `POST /app/installations/{installation_id}/access_tokens` (an hour's lifetime), asked again
 * five minutes before `expires_at`. Without `installationIds` the app's installations are listed
 * (`GET /app/installations`, JWT). Tokens and the key are never logged.
 * Sources: https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app,
 * https://docs.github.com/en/rest/apps/apps#list-installations-for-the-authenticated-app
 * @throws the RequestError of a refused JWT (401) or an unknown installation (404).
 */
export async function appInstallationCredentials(
  baseUrl: string,
  app: GitHubAppSettings,
  logger: Logger,
): Promise<GitHubCredential[]> {
  const appRequest = request.defaults({
    baseUrl: baseUrl.replace(/\/$/, ''),
    headers: { 'user-agent': 'stride-collector' },
  });
  const auth = createAppAuth({ appId: app.appId, privateKey: app.privateKey, request: appRequest });
  const listed = await (async () => {
    const jwt = await auth({ type: 'app' });
    const answer = await appRequest('GET /app/installations', {
      headers: { authorization: `bearer ${jwt.token}` },
      per_page: 100,
    });
    return (answer.data as { id: number; account: { login?: string } | null }[]).map((i) => ({
      id: i.id,
      account: i.account?.login ?? null,
    }));
  })();
  const chosen = app.installationIds
    ? app.installationIds.map((id) => ({ id, account: listed.find((i) => i.id === id)?.account ?? null }))
    : listed;
  logger.info(
    { appId: app.appId, installations: chosen.map((i) => ({ id: i.id, account: i.account })) },
    'github app: installations used',
  );
  return chosen.map(({ id, account }) => {
    let current: { token: string; expiresAt: number } | null = null;
    let pending: Promise<string> | null = null;
    const fresh = async (): Promise<string> => {
      const answer = await auth({ type: 'installation', installationId: id, refresh: true });
      current = { token: answer.token, expiresAt: Date.parse(answer.expiresAt) };
      logger.info(
        { appId: app.appId, installationId: id, expiresAt: answer.expiresAt },
        'github app: installation access token created',
      );
      return answer.token;
    };
    return {
      id: `app:${app.appId}/installation:${id}`,
      account,
      token: async () => {
        if (current && current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.token;
        // One refresh at a time: concurrent requests wait for the same new token.
        pending ??= fresh().finally(() => {
          pending = null;
        });
        return pending;
      },
    };
  });
}

/** The credential a repository of `owner` is synced with: its App installation, else the tokens in turn. */
export function credentialFor(
  credentials: readonly GitHubCredential[],
  owner: string,
  index: number,
): GitHubCredential | undefined {
  const installed = credentials.find(
    (c) => c.account !== null && c.account.toLowerCase() === owner.toLowerCase(),
  );
  if (installed) return installed;
  const tokens = credentials.filter((c) => c.account === null);
  if (tokens.length) return tokens[index % tokens.length];
  return credentials[index % Math.max(1, credentials.length)];
}
