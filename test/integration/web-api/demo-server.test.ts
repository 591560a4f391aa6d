/** `npm run demo:web`'s bundle (dist/demo-web.js, built by the global setup) starts and serves the site. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from './fixtures';

let child: ChildProcess;
let origin: string;
let pki: Pki;

beforeAll(async () => {
  pki = makePki();
  child = spawn(process.execPath, [path.resolve(__dirname, '../../../dist/demo-web.js'), '--port', '0', '--api-port', '24999', '--trust', pki.caPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: pki.dir, XDG_DATA_HOME: pki.dir } });
  origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /demo-web: (http:\/\/localhost:\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`demo-web exited ${code}: ${out}`)));
  });
});
afterAll(() => {
  child?.kill();
  pki?.cleanup();
});

describe('demo-web bundle', () => {
  it('serves the page, its config, and single-use challenges; refuses a bogus login', async () => {
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign and upload');
    expect(page.headers.get('content-security-policy')).toContain('connect-src');
    expect(await (await fetch(`${origin}/config.json`)).json()).toEqual({ apiPort: 24999 });
    const first = await fetch(`${origin}/api/challenge`, { method: 'POST', body: '{}' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const { nonce } = (await first.json()) as { nonce: string };
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const bogus = await fetch(`${origin}/api/login`, { method: 'POST', headers: { cookie }, body: JSON.stringify({ token: { format: 'web-eid:1.0', algorithm: 'ES256', unverifiedCertificate: 'AAAA', signature: 'AAAA' } }) });
    expect(bogus.status).toBe(401);
    const again = await fetch(`${origin}/api/login`, { method: 'POST', headers: { cookie }, body: JSON.stringify({ token: {} }) });
    expect(await again.json()).toMatchObject({ valid: false, errors: [expect.stringContaining('already used')] });
  });
});
