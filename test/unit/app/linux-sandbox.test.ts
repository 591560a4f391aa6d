import { describe, expect, it } from 'vitest';
import { sandboxVerdict, type SandboxFacts } from '../../../scripts/linux-sandbox.mjs';

const base: SandboxFacts = {
  platform: 'linux',
  isRoot: false,
  apparmorRestrictsUserns: false,
  usernsDisabled: false,
  binary: '/src/signet/node_modules/electron/dist/electron',
  helper: '/src/signet/node_modules/electron/dist/chrome-sandbox',
  helperStat: { uid: 1000, mode: 0o100755 },
  profileFor: null,
};

describe('npm start: can Chromium’s sandbox run (scripts/linux-sandbox.mjs)', () => {
  it('runs where user namespaces are free, where the setuid helper is set up, or where an AppArmor profile allows the binary', () => {
    expect(sandboxVerdict(base).ok).toBe(true);
    expect(sandboxVerdict({ ...base, apparmorRestrictsUserns: true, helperStat: { uid: 0, mode: 0o104755 } }).ok).toBe(true);
    expect(sandboxVerdict({ ...base, apparmorRestrictsUserns: true, profileFor: '/etc/apparmor.d/signet-dev-electron' }).ok).toBe(true);
    expect(sandboxVerdict({ ...base, platform: 'darwin', isRoot: true }).ok).toBe(true);
  });

  it('Ubuntu 23.10+ without a profile or helper: the exact AppArmor profile and the helper commands for this checkout', () => {
    const v = sandboxVerdict({ ...base, apparmorRestrictsUserns: true });
    expect(v.ok).toBe(false);
    const message = v.ok ? '' : v.message;
    expect(message).toContain(`profile signet-dev-electron "${base.binary}" flags=(unconfined) {`);
    expect(message).toContain('sudo apparmor_parser -r /etc/apparmor.d/signet-dev-electron');
    expect(message).toContain(`sudo chown root:root '${base.helper}' && sudo chmod 4755 '${base.helper}'`);
    // A helper owned by root but not setuid is not enough; a setuid helper owned by a user neither.
    expect(sandboxVerdict({ ...base, apparmorRestrictsUserns: true, helperStat: { uid: 0, mode: 0o100755 } }).ok).toBe(false);
    expect(sandboxVerdict({ ...base, apparmorRestrictsUserns: true, helperStat: { uid: 1000, mode: 0o104755 } }).ok).toBe(false);
  });

  it('user namespaces switched off: only the helper can help (a profile cannot); root is refused outright', () => {
    const v = sandboxVerdict({ ...base, usernsDisabled: true, profileFor: '/etc/apparmor.d/x' });
    expect(v.ok).toBe(false);
    expect(v.ok ? '' : v.message).not.toContain('apparmor_parser');
    expect(v.ok ? '' : v.message).toContain('sudo chmod 4755');
    const root = sandboxVerdict({ ...base, isRoot: true });
    expect(root.ok ? '' : root.message).toMatch(/does not run as root/);
  });
});
