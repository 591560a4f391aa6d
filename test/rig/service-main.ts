// Entry point of a rig service process (OCSP responder, CRL server or TSA). The services run
// outside the test process on purpose: a test that calls a client synchronously
// (execFileSync('openssl', ['ocsp', '-url', …]) or the CLI via spawnSync) blocks its own event
// loop, and a server living in that loop could never answer.
//
// argv[2]: JSON ServiceConfig. Prints the base URL as its first stdout line; exits when its
// stdin closes (the test process ended or called stop()).
import { CaStore } from './ca';
import { startHttpService, type Handler } from './http-service';
import { crlHandler, ocspHandler } from './ocsp-handlers';
import type { ServiceConfig } from './service-process';
import { removeDir } from './tmp';
import { tsaHandler } from './tsa-handler';

function handlerFor(config: ServiceConfig): Handler {
  switch (config.kind) {
    case 'ocsp':
      return ocspHandler(new CaStore(config.caDir), config.workDir, config.options);
    case 'crl':
      return crlHandler(new CaStore(config.caDir));
    case 'tsa':
      return tsaHandler(config.dir, config.options);
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ServiceConfig;
  const service = await startHttpService(handlerFor(config));
  process.stdin.on('data', () => undefined);
  process.stdin.on('end', () => {
    // The test process is gone (or stopping us): a TSA owns its temp dir, so tidy it up.
    if (config.kind === 'tsa') removeDir(config.dir);
    void service.stop().then(() => process.exit(0));
  });
  process.stdout.write(`${service.url}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`rig service failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
