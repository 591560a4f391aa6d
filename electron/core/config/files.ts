/**
 * Reading and writing the configuration files. A missing file is the empty configuration; a
 * file that does not parse or validate is an INVALID_INPUT error naming the file and the field
 * (Signet never silently ignores an administrator's policy). Writes are atomic (temp + rename).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type * as z from 'zod/mini';
import { SignetError } from '../../../native/errors';
import { PolicySchema, UserConfigSchema, type Policy, type UserConfig } from './schema';

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SignetError('FILE_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}`, { details: { file } });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SignetError('INVALID_INPUT', `${file} is not valid JSON: ${(e as Error).message}`, { details: { file } });
  }
}

function validate<S extends z.ZodMiniType>(schema: S, value: unknown, file: string): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(top level)';
  throw new SignetError('INVALID_INPUT', `${file}: ${where}: ${issue?.message ?? 'invalid'}`, { details: { file, field: where } });
}

export function readUserConfig(file: string): UserConfig {
  return validate(UserConfigSchema, readJson(file), file);
}

export function readPolicy(file: string): Policy {
  return validate(PolicySchema, readJson(file), file);
}

/** Write JSON atomically (same directory temp file, then rename), creating the directory. */
export function writeJsonAtomic(file: string, value: unknown, mode = 0o600): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new SignetError('FILE_UNREADABLE', `Cannot write ${file}: ${(e as Error).message}`, { details: { file } });
  }
}

/** Read–modify–write the user config (validated before it is written). */
export function updateUserConfig(file: string, update: (c: UserConfig) => UserConfig): UserConfig {
  const next = validate(UserConfigSchema, update(readUserConfig(file)), file);
  writeJsonAtomic(file, next);
  return next;
}
