import { createPublicKey, randomBytes, verify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Credentials the fake GitHub accepts, as GitHub does: personal access tokens
 * (`Authorization: token <t>` or `Bearer <t>`), and a GitHub App authenticating with a JWT
 * (RS256, `iss` the app id, `exp` at most 10 minutes after `iat`) to list its installations
 * (`GET /app/installations`) and create installation access tokens
 * (`POST /app/installations/{installation_id}/access_tokens`, 201 `{ token, expires_at, ... }`),
 * which then authenticate like a token until they expire.
 * Sources: https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 * and https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
 */
export interface FakeGitHubAuthOptions {
  /** Personal access tokens accepted (each with its own rate-limit budget). */
  tokens?: readonly string[];
  app?: {
    id: number;
    /** The app's public key (PEM, SPKI or PKCS#1): JWTs are verified with it. */
    publicKey: string;
    /** The app's installations: the account (organisation or user login) each is installed on. */
    installations: readonly { id: number; account: string }[];
    /** Lifetime of an installation access token in seconds (GitHub: 3600). */
    tokenLifetimeSeconds?: number;
  };
}

/** Who a request authenticated as: a credential's budget key, or why it was refused. */
export type AuthOutcome =
  | { ok: true; credential: string; kind: 'token' | 'installation' | 'anonymous' }
  | { ok: true; credential: string; kind: 'app'; appId: number }
  | { ok: false; status: 401; message: string };

const BAD_CREDENTIALS = 'Bad credentials';

function base64urlJson(part: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Credential checks and installation tokens of one fake server. */
export function createFakeAuth(options: FakeGitHubAuthOptions | undefined) {
  // Budget keys name a token by its position, never by its value.
  const tokens = new Map((options?.tokens ?? []).map((t, i) => [t, i + 1]));
  const app = options?.app;
  const publicKey = app ? createPublicKey(app.publicKey) : null;
  /** Installation access tokens issued: token → installation and expiry (ms). */
  const issued = new Map<string, { installation: number; expiresAt: number }>();
  /** Installation tokens created, by installation id (tests read how often a token was refreshed). */
  const created = new Map<number, number>();

  function checkJwt(jwt: string): AuthOutcome {
    const parts = jwt.split('.');
    if (!app || !publicKey || parts.length !== 3) {
      return { ok: false, status: 401, message: 'A JSON web token could not be decoded' };
    }
    const header = base64urlJson(parts[0]!);
    const claims = base64urlJson(parts[1]!);
    if (!header || !claims || header.alg !== 'RS256') {
      return { ok: false, status: 401, message: 'A JSON web token could not be decoded' };
    }
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      publicKey,
      Buffer.from(parts[2]!, 'base64url'),
    );
    if (!signed) return { ok: false, status: 401, message: 'A JSON web token could not be decoded' };
    const now = Date.now() / 1000;
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!Number.isFinite(exp) || exp <= now) {
      return {
        ok: false,
        status: 401,
        message:
          "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      };
    }
    if (!Number.isFinite(iat) || exp - iat > 600 || iat > now + 60) {
      return { ok: false, status: 401, message: "'Expiration time' claim ('exp') is too far in the future" };
    }
    if (String(claims.iss) !== String(app.id)) {
      return { ok: false, status: 401, message: "'Issuer' claim ('iss') must be an Integer" };
    }
    return { ok: true, credential: `app:${app.id}`, kind: 'app', appId: app.id };
  }

  return {
    /** Whether credentials are checked at all (without options every request is anonymous). */
    enabled: options !== undefined,
    /**
     * Who `req` is. Without auth options every request shares one anonymous budget. A JWT is only
     * accepted on `/app/...` endpoints and answers 401 elsewhere, as at GitHub.
     */
    authenticate(req: IncomingMessage, path: string): AuthOutcome {
      if (options === undefined) return { ok: true, credential: 'anonymous', kind: 'anonymous' };
      const header = req.headers.authorization ?? '';
      const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
      if (!match) {
        return { ok: false, status: 401, message: 'Requires authentication' };
      }
      const secret = match[1]!;
      if (secret.split('.').length === 3) {
        const outcome = checkJwt(secret);
        if (outcome.ok && !path.startsWith('/app')) {
          return { ok: false, status: 401, message: 'A JSON web token can only access /app endpoints' };
        }
        return outcome;
      }
      const position = tokens.get(secret);
      if (position !== undefined) return { ok: true, credential: `token:${position}`, kind: 'token' };
      const installation = issued.get(secret);
      if (installation && installation.expiresAt > Date.now()) {
        return { ok: true, credential: `installation:${installation.installation}`, kind: 'installation' };
      }
      return { ok: false, status: 401, message: BAD_CREDENTIALS };
    },
    /** `GET /app/installations`: the app's installations in GitHub's shape. */
    listInstallations(): unknown[] {
      return (app?.installations ?? []).map((i) => ({
        id: i.id,
        app_id: app!.id,
        target_type: 'Organization',
        account: { login: i.account, id: i.id * 10, type: 'Organization' },
        repository_selection: 'all',
        permissions: { metadata: 'read', pull_requests: 'read', contents: 'read', deployments: 'read' },
        access_tokens_url: `/app/installations/${i.id}/access_tokens`,
      }));
    },
    /** `POST /app/installations/{id}/access_tokens`: a new token, or null for an unknown installation. */
    createInstallationToken(installationId: number): Record<string, unknown> | null {
      if (!app?.installations.some((i) => i.id === installationId)) return null;
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      const expiresAt = Date.now() + (app.tokenLifetimeSeconds ?? 3600) * 1000;
      issued.set(token, { installation: installationId, expiresAt });
      created.set(installationId, (created.get(installationId) ?? 0) + 1);
      return {
        token,
        // GitHub gives the expiry at second precision.
        expires_at: new Date(Math.floor(expiresAt / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
        permissions: { metadata: 'read', pull_requests: 'read', contents: 'read', deployments: 'read' },
        repository_selection: 'all',
      };
    },
    /** Installation tokens created so far, by installation id. */
    tokensCreated: created,
  };
}
