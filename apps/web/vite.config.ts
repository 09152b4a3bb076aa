import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes `.br` and `.gz` beside each built script and stylesheet, at the strongest settings, so
 * the API serves them as they are (`@fastify/static` preCompressed) instead of compressing the
 * same bytes again on every first visit.
 */
function precompress(): Plugin {
  return {
    name: 'stride-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(file)) continue;
        const path = join(options.dir ?? 'dist', file);
        const bytes = readFileSync(path);
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

/**
 * Adds a `modulepreload` link for the charts' chunk (Recharts) to index.html: the overview draws
 * its table without it, but its trend charts need it, and `lazy-charts.tsx` would only ask for it
 * once the first page's script has run. The link fetches and compiles it beside that script
 * without holding it up (it stays out of the entry's imports).
 */
function preloadCharts(): Plugin {
  return {
    name: 'stride-preload-charts',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find(
          (c) =>
            c.type === 'chunk' && c.moduleIds.some((id) => id.endsWith('/components/charts/trend-chart.tsx')),
        );
        if (!chunk) return [];
        return [
          {
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` },
            injectTo: 'head',
          },
        ];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress(), preloadCharts()],
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:3000' } },
  // No source maps in the served build (they would publish the source); a manifest names the
  // entry's chunks for the bench and the code-splitting test.
  build: { outDir: 'dist', sourcemap: false, manifest: true },
});
