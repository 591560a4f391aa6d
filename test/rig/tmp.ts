// Temp dirs: everything the rig writes lives under os.tmpdir(), never in the repo or $HOME.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh private directory (mode 0700) under os.tmpdir(). */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `signet-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Write a file with owner-only permissions (keys, PIN files). */
export function writePrivate(file: string, data: string | Buffer): void {
  fs.writeFileSync(file, data, { mode: 0o600 });
}
