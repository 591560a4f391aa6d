/**
 * electron-builder's `--linux dir` packing with build/electron-builder.yml, without Electron: a
 * stand-in `electronDist` folder (electron-builder's documented option for a custom Electron
 * build) holds a stand-in executable — a shell script carrying an Electron fuse wire
 * (https://www.electronjs.org/docs/latest/tutorial/fuses) with Electron's defaults
 * (electron/electron build/fuses/fuses.json5), so the config's `electronFuses` are really flipped
 * and can be read back. Nothing is downloaded: where the system allows, packing runs in a network
 * namespace without any network (`unshare -n`).
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractAll } from '@electron/asar';
import { ROOT, type AppLayout } from './launch';

/** @electron/fuses' sentinel; then the wire: version 1, length, one byte per fuse ('0' off, '1' on). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** run_as_node, cookie_encryption, node_options, node_cli_inspect, embedded_asar_integrity_validation,
 *  only_load_app_from_asar, load_browser_process_specific_v8_snapshot, grant_file_protocol_extra_privileges. */
export const ELECTRON_DEFAULT_FUSES = '10110001';

/** The packaged app's executable name (build/electron-builder.yml linux.executableName). */
export const LINUX_EXECUTABLE = 'signet-desktop';

export function writeStandInElectron(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]), Buffer.from(ELECTRON_DEFAULT_FUSES)]);
  writeFileSync(path.join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho "stand-in Electron binary"\nexit 0\n# '), wire, Buffer.from('\n')]));
  chmodSync(path.join(dir, 'electron'), 0o755);
}

export interface PackResult {
  /** release/linux-unpacked */
  unpacked: string;
  /** electron-builder's output (stdout + stderr). */
  log: string;
}

/**
 * `unshare -n` where the system allows it (root, or user namespaces): electron-builder then runs
 * with no network at all, so a download it tried would fail the packing instead of passing unseen.
 */
function offlinePrefix(): string[] {
  for (const args of [['-n'], ['-rn']]) {
    if (spawnSync('unshare', [...args, 'true'], { stdio: 'ignore' }).status === 0) return ['unshare', ...args];
  }
  return [];
}

/** Packs `--linux dir` into `outDir` (extra `-c.*` arguments may override the config). */
export async function packLinuxDir(outDir: string, extraArgs: string[] = []): Promise<PackResult> {
  const electronDist = path.join(outDir, 'electron-dist');
  writeStandInElectron(electronDist);
  const [cmd, ...prefix] = [...offlinePrefix(), process.execPath];
  const { stdout, stderr } = await promisify(execFile)(
    cmd!,
    [
      ...prefix,
      path.join(ROOT, 'node_modules/electron-builder/cli.js'),
      '--linux',
      'dir',
      '--config',
      'build/electron-builder.yml',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${path.join(outDir, 'out')}`,
      '--publish',
      'never',
      ...extraArgs,
    ],
    { cwd: ROOT, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  return { unpacked: path.join(outDir, 'out', 'linux-unpacked'), log: stdout + stderr };
}

/** Every file under `dir`, relative, with '/' separators. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((n) => {
    const full = path.join(dir, n);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${n}/`) : [`${prefix}${n}`];
  });
}

/**
 * The packaged layout for the smoke test: app.asar extracted to a folder of the same name (Node
 * cannot read the archive; Electron can), where the files electron-builder unpacked are links to
 * app.asar.unpacked — so a binary missing there fails to load here too.
 */
export function packagedLayout(unpacked: string): AppLayout {
  const resources = path.join(unpacked, 'resources');
  const archive = path.join(resources, 'app.asar');
  const kept = path.join(resources, 'app.asar.file');
  if (!existsSync(kept)) {
    const extracted = `${archive}.extracted`;
    extractAll(archive, extracted); // reads unpacked entries from app.asar.unpacked
    renameSync(archive, kept);
    renameSync(extracted, archive);
    // Electron's asar support shows an unpacked file at its path inside the archive and reads it
    // from app.asar.unpacked (native modules are dlopen()ed from there): a symlink does the same.
    const unpackedDir = path.join(resources, 'app.asar.unpacked');
    if (existsSync(unpackedDir)) {
      for (const f of filesUnder(unpackedDir)) {
        rmSync(path.join(archive, f), { force: true });
        symlinkSync(path.join(unpackedDir, f), path.join(archive, f));
      }
    }
  }
  return {
    name: 'packaged (asar)',
    mainJs: path.join(archive, 'dist/app/main.js'),
    appDir: archive,
    packaged: true,
    executable: path.join(unpacked, LINUX_EXECUTABLE),
  };
}
