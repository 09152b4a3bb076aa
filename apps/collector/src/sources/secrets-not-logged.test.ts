import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { GitHubClient } from './github-client.ts';
import { appInstallationCredentials } from './github-credentials.ts';
import { createJiraSource } from './jira-client.ts';

const GITHUB_TOKEN = 'ghp_secretGitHubToken0123456789abcdef';
const JIRA_EMAIL = 'bot@example.com';
const JIRA_TOKEN = 'jira-secret-api-token-0123456789';

// A server that refuses every request (401) or fails (500): the paths that log and throw.
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const status = req.url?.includes('fail') ? 500 : 401;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Bad credentials', errorMessages: ['Bad credentials'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('trace', stream), text: () => lines.join('') };
}

function secretForms(): string[] {
  return [GITHUB_TOKEN, JIRA_TOKEN, Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString('base64')];
}

describe('collector logs never carry GitHub or Jira tokens', () => {
  it('GitHub: refused and failing requests, their logged errors', async () => {
    const { logger, text } = capturedLogger();
    const client = new GitHubClient({ baseUrl, token: GITHUB_TOKEN, logger, waitUnitMs: 1, retries: 1 });
    for (const route of ['GET /repos/{owner}/{repo}/pulls', 'GET /repos/{owner}/{repo}/fail']) {
      const error = await client.get(route, { owner: 'acme', repo: 'api' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      // What the sync does with a failure: log the error object.
      logger.error({ err: error }, 'github request failed');
    }
    const logged = text();
    expect(logged).toContain('github request failed');
    for (const secret of secretForms()) expect(logged).not.toContain(secret);
  });

  it('GitHub App: a refused JWT and its logged error carry neither the private key nor the JWT', async () => {
    const { logger, text } = capturedLogger();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const error = await appInstallationCredentials(baseUrl, { appId: 7, privateKey: pem }, logger).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    logger.error({ err: error }, 'github app refused');
    const logged = text();
    expect(logged).toContain('github app refused');
    for (const line of pem.split('\n').slice(1, -2)) expect(logged).not.toContain(line);
    // A JWT starts with the base64url of '{"alg":"RS256"' (eyJ...).
    expect(logged).not.toMatch(/bearer\s+eyJ/i);
    expect(logged).not.toMatch(/eyJhbGciOiJSUzI1NiIs/);
  });

  it('Jira: refused requests, their logged errors', async () => {
    const { logger, text } = capturedLogger();
    const source = createJiraSource({ host: baseUrl, email: JIRA_EMAIL, apiToken: JIRA_TOKEN, logger });
    const error = await source.getMyself().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    logger.error({ err: error }, 'jira request failed');
    const logged = text();
    expect(logged).toContain('jira request failed');
    for (const secret of secretForms()) expect(logged).not.toContain(secret);
  });
});
