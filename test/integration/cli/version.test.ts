/** `signet --version` / `-V`: the package version, exit 0, no token host needed. */
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json';
import { runCli, signetEnv } from './run-cli';

describe('signet --version', () => {
  it('prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag], { env: signetEnv() });
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`signet ${pkg.version}`);
    }
  });
});
