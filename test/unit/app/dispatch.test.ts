/**
 * The IPC entry every message takes (ipc/dispatch.ts): unknown methods, preload-only methods from
 * page script, unknown fields, wrong types and out-of-range values are refused with INVALID_INPUT
 * before any handler runs, and the refusal never echoes the argument (it may hold a PIN).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SIGNET_METHODS } from '../../../electron/api';
import { FileRegistry } from '../../../electron/app/files/registry';
import type { HandlerContext } from '../../../electron/app/ipc/context';
import { dispatch } from '../../../electron/app/ipc/dispatch';
import { HANDLERS } from '../../../electron/app/ipc/handlers';
import { PlanStore } from '../../../electron/app/ipc/plans';
import { METHOD_SCHEMAS } from '../../../electron/app/ipc/schemas';
import { createMemoryLogger } from '../../../electron/app/logs/logger';
import { PinBroker } from '../../../electron/app/pin/pin-broker';
import type { AppServices } from '../../../electron/app/services';
import { SettingsStore } from '../../../electron/app/settings/store';

const tmp = mkdtempSync(path.join(tmpdir(), 'signet-dispatch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const untouched = (): never => {
  throw new Error('services must not be reached by an invalid request');
};
const services = { tokens: { snapshot: untouched, refresh: untouched, onChange: untouched, changePin: untouched, details: untouched }, signing: { prepare: untouched, sign: untouched }, close: async () => undefined } as unknown as AppServices;
const logger = createMemoryLogger();
const events: string[] = [];
const ctx: HandlerContext = {
  services,
  files: new FileRegistry(),
  plans: new PlanStore(),
  pins: new PinBroker({ request: () => events.push('pin.request'), dismiss: () => events.push('pin.dismiss') }),
  settings: new SettingsStore(path.join(tmp, 'config.json')),
  dialogs: { openFiles: async () => [], chooseOutputDir: async () => null, saveText: async () => null },
  shell: { showItemInFolder: untouched },
  logger,
  appInfo: () => ({ name: 'Signet', version: '0', platform: 'test', versions: {}, locale: 'en', logDir: tmp, configDir: tmp }),
  emit: () => undefined,
  focusWindow: () => undefined,
};

const refused = async (method: string, arg: unknown, preload = false): Promise<string> => {
  const r = await dispatch(ctx, method, arg, preload);
  expect(r.ok, `${method} ${JSON.stringify(arg)}`).toBe(false);
  if (r.ok) return '';
  expect(r.error.code).toBe('INVALID_INPUT');
  return r.error.message;
};

describe('IPC dispatch', () => {
  it('has one handler and one schema per method', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual(Object.keys(SIGNET_METHODS).sort());
    expect(Object.keys(METHOD_SCHEMAS).sort()).toEqual(Object.keys(SIGNET_METHODS).sort());
  });

  it('refuses unknown methods and preload-only methods from page script', async () => {
    await refused('fs.readFile', { path: '/etc/passwd' });
    await refused('__proto__', {});
    await refused('files.dropped', { paths: ['/etc/passwd'] });
    const viaPreload = await dispatch(ctx, 'files.dropped', { paths: [path.join(tmp, 'missing.pdf')] }, true);
    // A refused file is reported by name, never dropped silently (issue 12 §6).
    expect(viaPreload.ok && viaPreload.value).toEqual({ files: [], rejected: [{ name: 'missing.pdf', error: expect.objectContaining({ code: 'FILE_UNREADABLE', details: { name: 'missing.pdf', reason: 'missing' } }) }] });
  });

  it('refuses unknown fields, wrong types and values out of range', async () => {
    await refused('app.info', { extra: 1 });
    await refused('files.pick', { multiple: true, path: '/etc' });
    await refused('files.pick', { multiple: 'yes' });
    await refused('sign.prepare', { files: [], certUri: 'pkcs11:token=A;id=%01', format: 'auto', timestamp: false });
    await refused('sign.prepare', { files: ['x'], certUri: 'file:///etc/passwd', format: 'auto', timestamp: false });
    await refused('sign.prepare', { files: ['x'], certUri: 'pkcs11:token=A;id=%01', format: 'xades', timestamp: false });
    await refused('sign.prepare', { files: ['x'], certUri: 'pkcs11:token=A;id=%01', format: 'pades', timestamp: false, visible: { page: 1, rect: { x: -5, y: 0, width: 100, height: 50 } } });
    await refused('settings.update', { language: 'de' });
    await refused('settings.update', { apiPort: 80 });
    await refused('settings.update', { tsaUrl: 'ftp://tsa.example' });
    await refused('tls.openPortal', { url: 'http://portal.example' });
    await refused('consent.respond', { requestId: 'r', decision: { approve: true, evil: true } });
  });

  it('never echoes the argument in the refusal or the log (a PIN may be in it)', async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const message = await refused('pin.submit', { requestId: 'r1', pin: enc('987654'), extra: '987654' });
    expect(message).not.toContain('987654');
    const long = await refused('pin.submit', { requestId: 'r1', pin: enc('9'.repeat(1100)) });
    expect(long).not.toContain('999999');
    // A PIN as a string is refused: main takes bytes only (issue 8).
    expect(await refused('pin.submit', { requestId: 'r1', pin: '987654' })).not.toContain('987654');
    expect(JSON.stringify(logger.records)).not.toContain('987654');
  });

  it('runs valid requests: an unknown PIN request, an unknown file id, the harness without a TLS window', async () => {
    const pin = await dispatch(ctx, 'pin.submit', { requestId: 'nope', pin: new TextEncoder().encode('1234') });
    expect(pin.ok ? 'ok' : pin.error.code).toBe('INVALID_INPUT');
    const prepare = await dispatch(ctx, 'sign.prepare', { files: ['unknown-id'], certUri: 'pkcs11:token=A;id=%01', format: 'auto', timestamp: false });
    expect(prepare.ok ? 'ok' : prepare.error.message).toMatch(/no longer available/);
    const portal = await dispatch(ctx, 'tls.openPortal', { url: 'https://portal.example/login' });
    expect(portal.ok ? 'ok' : portal.error.message).toMatch(/desktop app only/);
    const settings = await dispatch(ctx, 'settings.update', { language: 'fr', output: 'ask' });
    expect(settings.ok && (settings.value as { language: string }).language).toBe('fr');
    expect((await dispatch(ctx, 'shell.showInFolder', { outputId: 'not-an-output' })).ok).toBe(false);
  });
});
