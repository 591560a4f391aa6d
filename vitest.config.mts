import { defineConfig } from 'vitest/config';

// One runner for every kind of test. Component tests opt into jsdom with a
// `// @vitest-environment jsdom` comment; everything else runs under plain Node against real
// components (SoftHSM2, openssl, Chromium). The global setup bundles the Node processes
// (token host, CLI) so tests always exercise what ships.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
