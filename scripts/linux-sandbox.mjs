// Before `npm start` launches Electron from node_modules on Linux: can Chromium's sandbox run?
// Chromium needs either unprivileged user namespaces or its setuid helper (chrome-sandbox owned by
// root, mode 4755). Ubuntu 23.10+ restricts user namespaces to programs with an AppArmor profile
// (kernel.apparmor_restrict_unprivileged_userns=1); Debian can turn them off
// (kernel.unprivileged_userns_clone=0). Then Electron aborts with "The SUID sandbox helper binary
// was found, but is not configured correctly" (electron/electron#42510) before Signet's code runs,
// so this check runs first and prints the exact commands. Signet never falls back to --no-sandbox.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const read = (file) => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
};

/** What the system says, for the Electron binary in `distDir` (node_modules/electron/dist). */
export function sandboxFacts(distDir) {
  const binary = path.join(distDir, 'electron');
  const helper = path.join(distDir, 'chrome-sandbox');
  let helperStat = null;
  try {
    const st = statSync(helper);
    helperStat = { uid: st.uid, mode: st.mode };
  } catch {
    // no helper
  }
  let profileFor = null;
  try {
    for (const name of readdirSync('/etc/apparmor.d')) {
      const text = read(path.join('/etc/apparmor.d', name));
      if (text && text.includes(binary) && /\buserns\b/.test(text)) profileFor = path.join('/etc/apparmor.d', name);
    }
  } catch {
    // no AppArmor
  }
  return {
    platform: process.platform,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    apparmorRestrictsUserns: read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1',
    usernsDisabled: read('/proc/sys/kernel/unprivileged_userns_clone') === '0' || read('/proc/sys/user/max_user_namespaces') === '0',
    binary,
    helper,
    helperStat,
    profileFor,
  };
}

/** @returns {{ ok: true } | { ok: false, message: string }} */
export function sandboxVerdict(f) {
  if (f.platform !== 'linux') return { ok: true };
  if (f.isRoot) {
    return { ok: false, message: 'Signet: the desktop app does not run as root (Chromium refuses to without --no-sandbox, and Signet never runs without its sandbox). Start it as your own user.' };
  }
  const helperReady = f.helperStat !== null && f.helperStat.uid === 0 && (f.helperStat.mode & 0o4000) !== 0;
  if (helperReady) return { ok: true };
  if (!f.apparmorRestrictsUserns && !f.usernsDisabled) return { ok: true };
  if (f.apparmorRestrictsUserns && !f.usernsDisabled && f.profileFor) return { ok: true };
  const lines = ['Signet: Chromium’s sandbox cannot start here, and Signet does not run without it.'];
  if (f.apparmorRestrictsUserns) {
    lines.push('AppArmor restricts unprivileged user namespaces on this system (Ubuntu 23.10 and later). Either:', '');
    lines.push('  1. allow this Electron binary with an AppArmor profile (recommended):', '');
    lines.push(`     sudo tee /etc/apparmor.d/signet-dev-electron >/dev/null <<'EOF'`);
    lines.push('     abi <abi/4.0>,', '     include <tunables/global>', `     profile signet-dev-electron "${f.binary}" flags=(unconfined) {`, '       userns,', '     }', '     EOF');
    lines.push('     sudo apparmor_parser -r /etc/apparmor.d/signet-dev-electron', '');
    lines.push('  2. or make Chromium’s setuid sandbox helper usable:', '');
  } else {
    lines.push('Unprivileged user namespaces are disabled on this system. Make Chromium’s setuid sandbox helper usable:', '');
  }
  lines.push(`     sudo chown root:root '${f.helper}' && sudo chmod 4755 '${f.helper}'`, '');
  lines.push('Then run npm start again. Installed packages need none of this: the .deb installs its own AppArmor profile (docs/packaging.md, "Linux sandbox").');
  return { ok: false, message: lines.join('\n') };
}
