import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FileRegistry } from '../../../electron/app/files/registry';
import { freeOutputPath, outputNameFor } from '../../../electron/app/files/output-path';
import { isTrustedSender } from '../../../electron/app/ipc/sender';
import { createFileLogger, redact } from '../../../electron/app/logs/logger';
import { PinBroker } from '../../../electron/app/pin/pin-broker';
import { SettingsStore } from '../../../electron/app/settings/store';
import { resolveStatic } from '../../../electron/app/static-files';
import type { PinRequest } from '../../../electron/core/pin-prompt';

const tmp = mkdtempSync(path.join(tmpdir(), 'signet-app-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('IPC sender check', () => {
  it('trusts only the main window’s top frame on the app origin', () => {
    expect(isTrustedSender({ url: 'app://signet/index.html', isMainWindowTopFrame: true }, 'app://signet')).toBe(true);
    expect(isTrustedSender({ url: 'app://signet/index.html', isMainWindowTopFrame: false }, 'app://signet')).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainWindowTopFrame: true }, 'app://signet')).toBe(false);
    expect(isTrustedSender({ url: 'app://signet.evil/', isMainWindowTopFrame: true }, 'app://signet')).toBe(false);
    expect(isTrustedSender({ url: 'file:///etc/passwd', isMainWindowTopFrame: true }, 'app://signet')).toBe(false);
    expect(isTrustedSender({ url: undefined, isMainWindowTopFrame: true }, 'app://signet')).toBe(false);
    expect(isTrustedSender(null, 'app://signet')).toBe(false);
  });
});

describe('static files', () => {
  it('resolves inside the root only', () => {
    const root = path.join(tmp, 'renderer');
    expect(resolveStatic(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStatic(root, '/assets/a.js?x=1')).toBe(path.join(root, 'assets/a.js'));
    expect(resolveStatic(root, '/../secret')).toBeNull();
    expect(resolveStatic(root, '/%2e%2e/secret')).toBeNull();
    expect(resolveStatic(root, '/a%00.js')).toBeNull();
    expect(resolveStatic(root, '/%E0%A4%A')).toBeNull();
  });
});

describe('output paths', () => {
  it('names outputs by format and never reuses an existing name', () => {
    expect(outputNameFor('report.pdf', 'pades')).toBe('report-signed.pdf');
    expect(outputNameFor('contract.docx', 'cades')).toBe('contract.docx.p7s');
    expect(outputNameFor('report.pdf', 'cades')).toBe('report.pdf.p7s');
    const existing = new Set(['/d/report-signed.pdf', '/d/report-signed (2).pdf', '/d/a.txt.p7s']);
    const exists = (p: string) => existing.has(p);
    expect(freeOutputPath('/d', 'report-signed.pdf', new Set(), exists)).toBe('/d/report-signed (3).pdf');
    expect(freeOutputPath('/d', 'a.txt.p7s', new Set(), exists)).toBe('/d/a.txt (2).p7s');
    expect(freeOutputPath('/d', 'b.pdf', new Set(['/d/b.pdf']), exists)).toBe('/d/b (2).pdf');
  });
});

describe('file registry', () => {
  it('hands out opaque ids, detects PDFs by content, refuses unknown ids and non-files', async () => {
    const reg = new FileRegistry();
    const pdf = path.join(tmp, 'scan.bin');
    writeFileSync(pdf, '%PDF-1.7\n...');
    const txt = path.join(tmp, 'note.txt');
    writeFileSync(txt, 'hello');
    const { refs, errors, rejected } = await reg.addMany([pdf, txt, path.join(tmp, 'missing.pdf'), tmp]);
    expect(refs.map((r) => [r.name, r.isPdf, r.size])).toEqual([
      ['scan.bin', true, 12],
      ['note.txt', false, 5],
    ]);
    expect(errors.map((e) => e.code)).toEqual(['FILE_UNREADABLE', 'FILE_UNREADABLE']);
    expect(rejected.map((r) => [r.name, r.error.details?.reason])).toEqual([
      ['missing.pdf', 'missing'],
      [path.basename(tmp), 'not-a-file'],
    ]);
    expect(JSON.stringify(refs)).not.toContain(tmp);
    expect(reg.input(refs[0]!.id).path).toBe(pdf);
    expect(() => reg.input('nope')).toThrow(/no longer available/);
    expect(() => reg.output(refs[0]!.id)).toThrow(/Unknown output/);
  });
});

describe('logs', () => {
  it('redacts secrets and bytes, keeps public facts', () => {
    const r = redact({ pin: '1234', oldPin: 'x', newPin: 'y', puk: '9', password: 'p', contentBase64: 'AAAA', tokenUri: 'pkcs11:token=A', code: 'PIN_INCORRECT', nested: { pin: '1' }, bytes: new Uint8Array(4), finalTry: true }) as Record<string, unknown>;
    expect(r).toEqual({
      pin: '[redacted]',
      oldPin: '[redacted]',
      newPin: '[redacted]',
      puk: '[redacted]',
      password: '[redacted]',
      contentBase64: '[redacted]',
      tokenUri: 'pkcs11:token=A',
      code: 'PIN_INCORRECT',
      nested: { pin: '[redacted]' },
      bytes: '[4 bytes]',
      finalTry: true,
    });
  });

  it('writes JSON lines, rotates by size and keeps a bounded number of files', () => {
    const dir = path.join(tmp, 'logs');
    const log = createFileLogger({ dir, maxBytes: 2000, keep: 2 });
    for (let i = 0; i < 100; i++) log.info('event', { i, pin: '123456', detail: 'x'.repeat(50) });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['signet.1.log', 'signet.2.log', 'signet.log']);
    const all = files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('');
    expect(all).not.toContain('123456');
    const last = JSON.parse(log.recent(1)[0]!) as Record<string, unknown>;
    expect(last).toMatchObject({ level: 'info', msg: 'event', i: 99, pin: '[redacted]' });
  });
});

describe('settings store', () => {
  it('persists atomically, validates, remembers and revokes origins, survives a damaged file', () => {
    const file = path.join(tmp, 'cfg', 'config.json');
    const s = new SettingsStore(file, () => ['https://policy.example']);
    expect(s.get()).toMatchObject({ language: 'system', output: 'next-to-input', policyOrigins: ['https://policy.example'] });
    s.update({ language: 'fr', tsaUrl: 'http://127.0.0.1:3180/tsa' });
    s.rememberOrigin('https://portal.example:8443');
    expect(new SettingsStore(file).get()).toMatchObject({ language: 'fr', tsaUrl: 'http://127.0.0.1:3180/tsa', allowedOrigins: [{ origin: 'https://portal.example:8443' }] });
    expect(() => s.rememberOrigin('https://portal.example/path')).toThrow();
    expect(() => s.update({ language: 'xx' } as never)).toThrow();
    expect(() => s.update({ unknown: 1 } as never)).toThrow();
    // Stored in the sections the CLI and the web API read.
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(raw.ui).toMatchObject({ language: 'fr' });
    expect(raw.signing).toMatchObject({ tsaUrl: 'http://127.0.0.1:3180/tsa' });
    expect(raw.webApi?.allowedOrigins).toEqual([expect.objectContaining({ origin: 'https://portal.example:8443' })]);
    s.revokeOrigin('https://portal.example:8443');
    expect(new SettingsStore(file).get().allowedOrigins).toEqual([]);
    writeFileSync(file, '{ not json');
    const damaged = new SettingsStore(file);
    expect(damaged.get().language).toBe('system');
    expect(() => damaged.update({ language: 'en' })).toThrow(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
  });
});

describe('PIN broker', () => {
  const request: PinRequest = {
    token: { uri: 'pkcs11:token=A', label: 'A', manufacturer: 'm', model: 'x', serial: '1', minPinLength: 4, maxPinLength: 8, pinCountLow: false, pinFinalTry: false },
    kind: 'login',
    action: { purpose: 'sign-documents', documents: ['a.pdf'] },
    pinPad: false,
    timeoutMs: 1000,
  };

  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('passes the submitted bytes themselves on, once; refused bytes are wiped; length counts characters', async () => {
    const events = { request: vi.fn(), dismiss: vi.fn() };
    const broker = new PinBroker(events);
    const p = broker.askPin(request, new AbortController().signal);
    const view = events.request.mock.calls[0]![0] as { requestId: string };
    const short = bytes('12');
    expect(() => broker.submit(view.requestId, short)).toThrow(expect.objectContaining({ code: 'PIN_LEN_RANGE' }));
    expect([...short]).toEqual([0, 0]);
    // 4 characters, 8 UTF-8 bytes: within 4..8 characters.
    const given = bytes('ääää');
    broker.submit(view.requestId, given);
    const got = (await p)!;
    expect(got).toBe(given); // the same buffer: no copy, no string, for core to wipe
    expect(Buffer.from(got).toString()).toBe('ääää');
    const late = bytes('123456');
    expect(() => broker.submit(view.requestId, late)).toThrow(/ended/);
    expect(late.every((b) => b === 0)).toBe(true);
    expect(broker.open()).toEqual([]);
  });

  it('cancel resolves null; abort dismisses the dialog', async () => {
    const events = { request: vi.fn(), dismiss: vi.fn() };
    const broker = new PinBroker(events);
    const p1 = broker.askPin(request, new AbortController().signal);
    broker.cancel((events.request.mock.calls[0]![0] as { requestId: string }).requestId);
    expect(await p1).toBeNull();
    const ac = new AbortController();
    const p2 = broker.askPin(request, ac.signal);
    ac.abort();
    expect(await p2).toBeNull();
    expect(events.dismiss).toHaveBeenCalledWith((events.request.mock.calls[1]![0] as { requestId: string }).requestId);
  });

  it('PIN pad: shows the notice, Cancel aborts the login, the closer dismisses', () => {
    const events = { request: vi.fn(), dismiss: vi.fn() };
    const broker = new PinBroker(events);
    const cancel = vi.fn();
    const close = broker.showPinPad({ ...request, pinPad: true }, cancel);
    const view = events.request.mock.calls[0]![0] as { requestId: string; pinPad: boolean };
    expect(view.pinPad).toBe(true);
    expect(() => broker.submit(view.requestId, bytes('1234'))).toThrow(/reader/);
    broker.cancel(view.requestId);
    expect(cancel).toHaveBeenCalledTimes(1);
    close();
    expect(events.dismiss).toHaveBeenCalledTimes(1);
  });
});

describe('main-process strings', () => {
  it('follow the language setting, else the OS locale, else English', async () => {
    const { mainStrings, fill } = await import('../../../electron/app/main-strings');
    expect(mainStrings('fr', 'en-US').openFiles).toBe('Ouvrir des fichiers à signer…');
    expect(mainStrings('system', 'fr-CA').help).toBe('&Aide');
    expect(mainStrings('system', 'de-DE').help).toBe('&Help');
    expect(fill(mainStrings('en', 'en').nssDetail, { modules: 'opensc-pkcs11.so', db: '/home/u/.pki/nssdb' })).toContain('(opensc-pkcs11.so)');
  });
});
