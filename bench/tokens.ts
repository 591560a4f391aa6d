/**
 * bench/tokens — two start-up figures of issue 2 §9:
 *  1. token + certificate enumeration of a token with 20 certificates, warm (host running,
 *     module loaded): listTokens + listCertificateSummaries (pairing + X.509 summaries).
 *     Target ≤ 50 ms.
 *  2. `signet tokens --json --module M` as a whole process vs a 5-line Node script that loads
 *     pkcs11js and lists the same tokens, alternating, same token dir. Target ≤ 1.5×. Also
 *     printed: the floor of any design with a separate token host, because the CLI necessarily
 *     starts two Node processes one after the other (itself, then the host it forks first
 *     thing): a parent that forks a child and waits for its first message, plus the script's work.
 *
 *   node bench/run-ts.mjs bench/tokens.ts [--runs 20]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NodeHostLauncher, TokenClient } from '../native/client';
import { listCertificateSummaries } from '../electron/core/certificates';
import { arg, makeBenchToken, median } from './tokens-setup';

function wall(cmd: string[], env: Record<string, string>): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr.toString()}`);
  return ms;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '20'));
  const t = await makeBenchToken({ keyType: 'EC', count: 20 });
  try {
    // 1. Warm enumeration.
    const client = new TokenClient({ modules: [{ path: t.module, source: 'argument', env: t.env }], launcher: new NodeHostLauncher({ hostScript: t.hostScript }) });
    const enumerate = async (): Promise<number> => {
      const t0 = process.hrtime.bigint();
      const tokens = await client.listTokens();
      const certs = await listCertificateSummaries(client);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (certs.length !== 20 || !tokens.some((x) => x.uri === t.tokenUri)) throw new Error(`expected 20 certificates, got ${certs.length}`);
      return ms;
    };
    const cold = await enumerate();
    for (let i = 0; i < 5; i++) await enumerate();
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push(await enumerate());
    await client.close();
    console.log(`token + certificate enumeration, 20 certificates (listTokens + listCertificateSummaries):`);
    console.log(`  first (host start + module load): ${cold.toFixed(1)} ms`);
    console.log(`  warm median over ${runs}: ${median(warm).toFixed(1)} ms  (target ≤ 50 ms)`);

    // 2. `signet tokens` vs a 5-line pkcs11js script.
    const script = path.join(t.dir, 'five-lines.js');
    writeFileSync(
      script,
      [
        `const p = require(${JSON.stringify(path.join(process.cwd(), 'node_modules', 'pkcs11js'))}), m = new p.PKCS11();`,
        `m.load(process.argv[2]); m.C_Initialize();`,
        `const out = m.C_GetSlotList(true).map((s) => { const i = m.C_GetTokenInfo(s); return { label: i.label.trim(), serial: i.serialNumber.trim(), flags: i.flags }; });`,
        `console.log(JSON.stringify(out));`,
        `m.C_Finalize();`,
      ].join('\n'),
    );
    // The floor for any design with a separate host process: a Node parent that forks a Node
    // child with an IPC channel (the host's environment: see native/host-env.ts) and waits for
    // its first message; plus the same PKCS#11 work as the 5-line script.
    const hello = path.join(t.dir, 'hello.js');
    writeFileSync(hello, `process.send({ kind: 'hello' });`);
    const forkPair = path.join(t.dir, 'fork-pair.js');
    writeFileSync(
      forkPair,
      [
        `const env = { ...process.env }; delete env.NODE_OPTIONS; delete env.NODE_EXTRA_CA_CERTS;`,
        `const c = require('node:child_process').fork(${JSON.stringify(hello)}, [], { env, serialization: 'advanced' });`,
        `c.once('message', () => c.kill());`,
      ].join('\n'),
    );
    const home = mkdtempSync(path.join(t.dir, 'home-'));
    const cliEnv = { ...t.env, SIGNET_CONFIG_DIR: path.join(home, 'c'), SIGNET_DATA_DIR: path.join(home, 'd'), SIGNET_LOG_DIR: path.join(home, 'l'), SIGNET_POLICY_FILE: path.join(home, 'p.json') };
    const cli = [process.execPath, t.cliScript, 'tokens', '--json', '--module', t.module];
    const five = [process.execPath, script, t.module];
    const bare = [process.execPath, '-e', '0'];
    const pair = [process.execPath, forkPair];
    for (let i = 0; i < 3; i++) {
      wall(cli, cliEnv);
      wall(five, t.env);
      wall(bare, {});
      wall(pair, {});
    }
    const cliMs: number[] = [];
    const fiveMs: number[] = [];
    const bareMs: number[] = [];
    const pairMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      cliMs.push(wall(cli, cliEnv));
      fiveMs.push(wall(five, t.env));
      bareMs.push(wall(bare, {}));
      pairMs.push(wall(pair, {}));
    }
    const c = median(cliMs);
    const f = median(fiveMs);
    const b = median(bareMs);
    const p = median(pairMs);
    console.log(`\`signet tokens --json\` whole process vs a 5-line pkcs11js script (medians of ${runs}, alternating):`);
    console.log(`  signet tokens : ${c.toFixed(1)} ms`);
    console.log(`  5-line script : ${f.toFixed(1)} ms`);
    console.log(`  ratio         : ${(c / f).toFixed(2)}×  (target ≤ 1.5×)`);
    console.log(`  node -e 0     : ${b.toFixed(1)} ms`);
    console.log(`  node parent + forked child saying hello: ${p.toFixed(1)} ms → floor with a separate token-host process: ${((p + (f - b)) / f).toFixed(2)}×`);
  } finally {
    t.cleanup();
  }
}

void main();
