#!/usr/bin/env node
// Bundles the server's TypeScript (apps/server/src and packages/contract) into apps/server/dist/cli.mjs
// when the bundle is missing or older than its sources. `minqing` starts from the bundle when it is
// fresh — one file for Node to load instead of hundreds compiled through tsx, which halves start-up
// and saves ~100 MB — and falls back to the sources otherwise (docs/decisions/0007).
// Dependencies stay in node_modules (PGlite finds its WebAssembly there, sharp its native library).
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE as bundle, bundleIsFresh } from '../apps/server/bin/bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = join(root, 'apps/server');
export async function buildServer() {
  const started = performance.now();
  // Built beside and renamed into place: a server starting meanwhile never reads half a file.
  const temporary = `${bundle}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(server, 'src/cli.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    logLevel: 'warning',
    // Everything from node_modules is loaded from there; only the workspace's own code is bundled.
    plugins: [
      {
        name: 'dependencies-stay-external',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@minqing/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  renameSync(`${temporary}.map`, `${bundle}.map`);
  renameSync(temporary, bundle);
  return performance.now() - started;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === '--force' || !bundleIsFresh()) {
    const ms = await buildServer();
    process.stdout.write(`bundled the server (apps/server/dist/cli.mjs) in ${Math.round(ms)} ms\n`);
  }
}
