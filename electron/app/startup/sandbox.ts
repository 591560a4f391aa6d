/**
 * Linux: Signet never runs without Chromium's sandbox. On Ubuntu 23.10 and later AppArmor
 * restricts unprivileged user namespaces (electron/electron#42510), which Chromium's sandbox
 * needs unless its SUID helper is installed. electron-builder's AppImage launcher (AppRun) then
 * silently adds `--no-sandbox`; a user may also pass it. Either way Signet stops and says exactly
 * what to do: use the .deb (it installs an AppArmor profile for Signet, build/linux/apparmor-profile),
 * or allow the AppImage with the profile Signet writes out for it. docs/packaging.md, "Linux sandbox".
 */
import path from 'node:path';

/** `--no-sandbox` on the command line, or the switch Chromium sees (app.commandLine.hasSwitch). */
export function startedWithoutSandbox(argv: readonly string[], hasSwitch: (name: string) => boolean): boolean {
  return argv.includes('--no-sandbox') || hasSwitch('no-sandbox');
}

export const APPIMAGE_PROFILE_NAME = 'signet-appimage';

/**
 * An AppArmor profile that lets one AppImage file create the user namespaces Chromium's sandbox
 * needs, and nothing more: `flags=(unconfined)` keeps AppArmor from confining it otherwise, as the
 * profiles Ubuntu ships for browsers do (e.g. /etc/apparmor.d/chrome). ABI 4.0 is what knows `userns`.
 * Returns null for a path AppArmor would read as a pattern (globbing characters) or cannot quote.
 */
export function appImageProfile(appImagePath: string): string | null {
  if (!path.isAbsolute(appImagePath) || /["*?[\]{}^\n\\]/.test(appImagePath)) return null;
  return [
    '# Written by Signet: lets this AppImage use Chromium’s sandbox (user namespaces).',
    'abi <abi/4.0>,',
    'include <tunables/global>',
    '',
    `profile ${APPIMAGE_PROFILE_NAME} "${appImagePath}" flags=(unconfined) {`,
    '  userns,',
    '',
    `  include if exists <local/${APPIMAGE_PROFILE_NAME}>`,
    '}',
    '',
  ].join('\n');
}

/**
 * The exact steps for the box. `profileFile` is where Signet wrote appImageProfile() (null when it
 * could not, or when Signet is not running from an AppImage).
 */
export function noSandboxInstructions(opts: { appImage: string | undefined; profileFile: string | null }): string {
  const steps: string[] = [];
  if (opts.appImage) {
    steps.push('This AppImage cannot use the sandbox on this system (Ubuntu 23.10+ restricts unprivileged user namespaces with AppArmor).');
    steps.push('Either install Signet’s .deb package (it installs an AppArmor profile), or allow this AppImage (administrator):');
    if (opts.profileFile) {
      steps.push(`  sudo install -m 644 '${opts.profileFile}' /etc/apparmor.d/${APPIMAGE_PROFILE_NAME}`);
      steps.push(`  sudo apparmor_parser -r /etc/apparmor.d/${APPIMAGE_PROFILE_NAME}`);
      steps.push('then start Signet again. If you move the AppImage, do this again.');
    } else {
      steps.push(`  move the AppImage to a path without special characters, start it, and follow the steps shown.`);
    }
  } else {
    steps.push('Start Signet without --no-sandbox. If Chromium then reports that "the SUID sandbox helper binary" is not configured correctly, reinstall Signet’s .deb package (it installs an AppArmor profile) or see docs/packaging.md, "Linux sandbox".');
  }
  return steps.join('\n');
}
