import { defineConfig } from 'vitest/config';

// Unit and integration tests run against PGlite by default, PostgreSQL when DATABASE_URL is set.
// Browser tests (test/e2e) start a real server and drive Debian's Chromium.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'demo/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
