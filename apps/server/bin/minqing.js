#!/usr/bin/env node
// The `minqing` command. It starts from the bundle that `npm start` builds (apps/server/dist/cli.mjs)
// when the bundle is at least as new as every source file; otherwise it runs the TypeScript sources
// through tsx, so an edited source is never shadowed by an old bundle and there is no step to forget.
// MINQING_FROM_SOURCE=1 always runs the sources.
import { pathToFileURL } from 'node:url';
import { BUNDLE, bundleIsFresh } from './bundle.js';

if (!process.env.MINQING_FROM_SOURCE && bundleIsFresh()) {
  await import(pathToFileURL(BUNDLE).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
