import { defineConfig } from 'vitest/config';

// The suite runs on the embedded PGlite, and again on a PostgreSQL server when TEST_DATABASE_URL is set.
const postgresUrl = process.env.TEST_DATABASE_URL;

const shared = {
  include: ['apps/server/src/**/*.test.ts', 'apps/server/test/**/*.test.ts', 'packages/**/*.test.ts'],
  globalSetup: ['apps/server/test/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // One migrated database per worker, shared by the files it runs: each test builds its own community.
  isolate: false,
  pool: 'forks' as const,
  // A failed test runs once more before it counts as failed (the report marks it as retried): two
  // projects, browser journeys and a shared database run side by side on two cores, and a clean run
  // should not hang on one lost click. A test that fails twice fails the run (docs/decisions/0009).
  retry: 1,
};

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      // Browser journeys (e2e/) run once, on the embedded database.
      {
        test: {
          ...shared,
          include: [...shared.include, 'e2e/**/*.test.ts'],
          name: 'pglite',
          env: { MINQING_TEST_BACKEND: 'pglite' },
        },
      },
      ...(postgresUrl
        ? [{ test: { ...shared, name: 'postgres', env: { MINQING_TEST_BACKEND: 'postgres' } } }]
        : []),
    ],
  },
});
