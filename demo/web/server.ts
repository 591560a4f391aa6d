/**
 * `npm run demo:web` — the demo form-upload site.
 *
 *   node dist/demo-web.js [--port 8090] [--api-port 24811] [--trust ca.pem]... [--origin URL]
 *
 * Open http://localhost:8090 (Signet must allow http://localhost: Settings → developer setting,
 * or run the site behind https and pass --origin). --trust names the CA(s) whose certificates
 * the site accepts; without it, the demo CA `signet demo init` made (<data dir>/demo/demo-ca.pem).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { signetPaths } from '../../electron/core/config/paths';
import { parsePemBundle } from './verifier';
import { defaultSdkPath, startDemoSite } from './site';
import { DEFAULT_API_PORT } from '../../electron/web-api/protocol';

function args(argv: string[]): { port: number; apiPort: number; trust: string[]; origin?: string; sdk: string } {
  const out = { port: 8090, apiPort: DEFAULT_API_PORT, trust: [] as string[], origin: undefined as string | undefined, sdk: defaultSdkPath() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${a} needs a value`);
    if (a === '--port') out.port = Number(v);
    else if (a === '--api-port') out.apiPort = Number(v);
    else if (a === '--trust') out.trust.push(v);
    else if (a === '--origin') out.origin = v;
    else if (a === '--sdk') out.sdk = v;
    else throw new Error(`unknown option ${a}`);
    i++;
  }
  return out;
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  if (a.trust.length === 0) {
    const demoCa = path.join(signetPaths().dataDir, 'demo', 'demo-ca.pem');
    if (existsSync(demoCa)) a.trust.push(demoCa);
  }
  const anchors = a.trust.flatMap((p) => parsePemBundle(readFileSync(p, 'utf8')));
  for (const p of a.trust) console.log(`demo-web: trusting ${p}`);
  if (anchors.length === 0) console.warn('demo-web: no --trust CA given and no demo CA found (run `signet demo init`): every signature will be reported as untrusted.');
  const site = await startDemoSite({ port: a.port, apiPort: a.apiPort, anchors, sdkPath: a.sdk, ...(a.origin ? { origin: a.origin } : {}), log: (l) => console.log(l) });
  console.log(`demo-web: ${site.origin} (Signet API port ${a.apiPort})`);
}

main().catch((e: unknown) => {
  console.error(`demo-web: ${(e as Error).message}`);
  process.exit(2);
});
