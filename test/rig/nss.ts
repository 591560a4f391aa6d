// An NSS certificate database trusting the test root CA: pdfsig (poppler) validates signer
// certificates through NSS, and `pdfsig -nssdir DIR` points it at this database.
// Synchronous, so `rig.nssDb()` works whether or not the caller awaits it.
import fs from 'node:fs';
import { runSync } from './exec';
import type { RigCa } from './types';

export function makeNssDb(dir: string, root: RigCa, intermediate: RigCa): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = `sql:${dir}`;
  if (!fs.existsSync(`${dir}/cert9.db`)) runSync('certutil', ['-N', '-d', db, '--empty-password']);
  // Trust flags "CT,C,C": a trusted CA for SSL (C, plus T for client auth), e-mail and object
  // signing; the intermediate is only made available (",,"), it earns trust through the root.
  runSync('certutil', ['-A', '-d', db, '-n', 'Signet Test Root CA', '-t', 'CT,C,C', '-i', root.certPath]);
  runSync('certutil', ['-A', '-d', db, '-n', 'Signet Test Intermediate CA', '-t', ',,', '-i', intermediate.certPath]);
  return dir;
}
