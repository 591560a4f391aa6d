/**
 * `module.init`: apply the module's environment (this host serves one module, so the variables
 * reach nobody else), load the library and C_Initialize it with CKF_OS_LOCKING_OK (PKCS#11 v2.40
 * §5.4: we call from the event loop and from the libuv pool for C_SignAsync).
 */
import { existsSync } from 'node:fs';
import { SignetError } from '../../errors';
import { CKR } from '../../ckr';
import { pkcs11js, rvOf, toSignetError } from '../pkcs11';
import type { Handler } from './types';

const trim = (s: string): string => s.replace(/[\s\0]+$/, '');
const version = (v: { major: number; minor: number }): string => `${v.major}.${v.minor}`;

export const handle: Handler<'module.init'> = (params, ctx) => {
  if (ctx.lib && ctx.info) {
    if (params.path !== ctx.modulePath) throw new SignetError('INTERNAL', 'This token host already serves another module.');
    return { info: ctx.info };
  }
  if (ctx.loadError) throw ctx.loadError;
  ctx.modulePath = params.path;
  for (const [k, v] of Object.entries(params.env)) process.env[k] = v;
  const fail = (message: string, cause?: unknown, details: Record<string, string | number | boolean> = {}): never => {
    ctx.loadError = new SignetError('MODULE_LOAD_FAILED', message, { cause, retriable: false, details: { module: params.path, ...details } });
    throw ctx.loadError;
  };
  if (!existsSync(params.path)) fail(`PKCS#11 module not found: ${params.path}`);
  const lib = new pkcs11js.PKCS11();
  try {
    lib.load(params.path);
  } catch (e) {
    fail(`Cannot load PKCS#11 module ${params.path}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  try {
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (e) {
    if (rvOf(e) !== CKR.CRYPTOKI_ALREADY_INITIALIZED) {
      const err = toSignetError(e, 'C_Initialize');
      fail(`The PKCS#11 module ${params.path} failed to initialise (${String(err.details?.ckr ?? err.message)}).`, e, err.details ?? {});
    }
  }
  const i = lib.C_GetInfo();
  ctx.lib = lib;
  ctx.info = {
    manufacturer: trim(i.manufacturerID),
    description: trim(i.libraryDescription),
    cryptokiVersion: version(i.cryptokiVersion),
    libraryVersion: version(i.libraryVersion),
  };
  ctx.log('info', 'module loaded', { module: params.path, manufacturer: ctx.info.manufacturer, libraryVersion: ctx.info.libraryVersion });
  return { info: ctx.info };
};
