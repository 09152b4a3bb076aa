import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { loadApiConfig } from './config.ts';

// The dashboard's files as a Vite build lays them out: index.html, hashed assets with their
// precompressed twins, and a stray source map that must never be served.
const script = `export const figures = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `figure ${i}`))};\n`;

describe('static dashboard files', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let dist: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dist = await mkdtemp(join(tmpdir(), 'stride-static-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(
      join(dist, 'index.html'),
      '<!doctype html><script type="module" src="/assets/index-AbCd1234.js"></script>',
    );
    await writeFile(join(dist, 'assets/index-AbCd1234.js'), script);
    await writeFile(join(dist, 'assets/index-AbCd1234.js.br'), brotliCompressSync(script));
    await writeFile(join(dist, 'assets/index-AbCd1234.js.gz'), gzipSync(script));
    await writeFile(join(dist, 'assets/index-AbCd1234.js.map'), '{"sources":["src/secret.ts"]}');
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ WEB_DIST_DIR: dist }),
      strideConfig: parseStrideConfig({}),
      logger: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
    await rm(dist, { recursive: true, force: true });
  });

  const get = (url: string, encoding?: string) =>
    app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });

  it('serves hashed assets brotli- or gzip-compressed by Accept-Encoding, cached as immutable', async () => {
    const br = await get('/assets/index-AbCd1234.js', 'gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toContain('accept-encoding');

    const gz = await get('/assets/index-AbCd1234.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script);

    const plain = await get('/assets/index-AbCd1234.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('revalidates index.html (it names the current hashed files)', async () => {
    for (const url of ['/', '/teams/payments']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('answers an API-looking path the router does not know with the JSON 404, never the page', async () => {
    // `//api/…` was read as a protocol-relative URL of host "api" and got index.html (200).
    for (const url of ['//api/teams', '/api//teams', '/API/teams', '/%2F/api/teams', '/Api', '//docs/json']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
    // A double-encoded prefix decodes once, to `/%61pi/…`: a dashboard path (the page, no data).
    const doubled = await get('/%2561pi/changes.csv');
    expect(doubled.headers['content-type']).toContain('text/html');
    expect(doubled.body).not.toContain('repository,');
    // Client-side routes of the dashboard still get it.
    for (const url of ['/teams/api', '/drill/changes?x=//api/teams', '/apis', '/board-pack']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('text/html');
    }
  });

  it('never serves a source map', async () => {
    const res = await get('/assets/index-AbCd1234.js.map');
    expect(res.body).not.toContain('secret.ts');
  });

  it('compresses large API answers on the fly', async () => {
    const res = await get('/docs/json', 'br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(res.rawPayload).toString()).paths).toHaveProperty(
      '/api/teams/dora',
    );
  });
});
