/**
 * The browser harness drives real signing, so it guards itself even as a dev tool: only its own
 * page may open the WebSocket, the control endpoints need the printed token, page script reaches
 * only the public methods, static files never leave the renderer build, and every page carries
 * the renderer's CSP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { provisionRig, type Rig } from '../../rig';
import { startHarness, type HarnessHandle } from '../harness/server';
import { ensureRendererBuilt } from '../support/build';

let rig: Rig;
let h: HarnessHandle;
let dir: string;

beforeAll(async () => {
  await ensureRendererBuilt();
  rig = await provisionRig({ tokens: [{ label: 'Harness', pin: '123456', keys: [{ name: 'h-sign', keyType: 'EC', curve: 'P-256', purpose: 'signing' }] }] });
  dir = mkdtempSync(path.join(tmpdir(), 'signet-harness-check-'));
  h = await startHarness({ modules: [{ path: rig.module, source: 'argument', env: rig.env }], dataDir: dir, apiPort: null });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await rig?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function connect(origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}harness/ws`, { headers: { Origin: origin } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, msg: object): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return new Promise((resolve) => {
    const id = Math.floor(Math.random() * 1e9);
    const onMessage = (data: WebSocket.RawData): void => {
      const m = JSON.parse(String(data)) as { type: string; id?: number; result: { ok: boolean } };
      if (m.type === 'result' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ ...msg, id }));
  });
}

describe('browser harness', () => {
  it('serves the renderer with the CSP and the bridge before the app script', async () => {
    const res = await fetch(h.url);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html.indexOf('harness/bridge.js')).toBeGreaterThan(0);
    expect(html.indexOf('harness/bridge.js')).toBeLessThan(html.indexOf('type="module"'));
    for (const p of ['../package.json', '%2e%2e/package.json', 'assets/../../package.json']) expect((await fetch(`${h.url}${p}`)).status, p).toBe(404);
  });

  it('accepts the WebSocket only from its own page and runs only public methods', async () => {
    await expect(connect('https://evil.example')).rejects.toThrow();
    const ws = await connect(h.url.replace(/\/$/, ''));
    try {
      const info = await call(ws, { type: 'call', method: 'app.info' });
      expect(info.ok).toBe(true);
      const snapshot = (await call(ws, { type: 'call', method: 'tokens.snapshot' })) as { ok: boolean; value: { tokens: { label: string }[] } };
      expect(snapshot.value.tokens.map((t) => t.label)).toContain('Harness');
      expect((await call(ws, { type: 'call', method: 'files.dropped', arg: { paths: ['/etc/passwd'] } })).error?.code).toBe('INVALID_INPUT');
      expect((await call(ws, { type: 'call', method: 'app.info', arg: { x: 1 } })).error?.code).toBe('INVALID_INPUT');
    } finally {
      ws.close();
    }
  });

  it('control endpoints need the printed token', async () => {
    const post = (token?: string) =>
      fetch(`${h.url}harness/control/next-pick`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-harness-token': token } : {}) }, body: JSON.stringify({ paths: ['/etc/passwd'] }) });
    expect((await post()).status).toBe(403);
    expect((await post('wrong')).status).toBe(403);
    expect((await post(h.controlToken)).status).toBe(200);
  });
});
