// `npm run build -w @stride/api`: the production build of the API server, dist/server.js, run
// with plain `node` (the Dockerfile's command). The workspace packages (@stride/*) export their
// TypeScript sources, so they are bundled in; every other package stays an import of
// node_modules. Running compiled JS instead of `tsx` saves tsx's loader thread (a second V8 heap):
// ~70 MB of RSS at boot (docs/benchmarks.md, API under load).
import { resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');

await build({
  entryPoints: [resolve(root, 'src/server.ts')],
  outfile: resolve(root, 'dist/server.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // A map beside the bundle: `node --enable-source-maps` names the source files in stack traces
  // (off by default: the parsed map costs ~15 MB of RSS).
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-node-modules',
      setup(builder) {
        // A bare specifier that is not a workspace package: loaded from node_modules at run time.
        builder.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@stride/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
