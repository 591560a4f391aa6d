// The TSA's request handler, run in the service process (service-main.ts): one
// `openssl ts -reply` per query (RFC 3161 §3.4 over HTTP), with the config tsa.ts wrote.
import fs from 'node:fs';
import path from 'node:path';
import { run, SerialQueue } from './exec';
import type { Handler } from './http-service';

export interface TsaOptions {
  /** Answer after this delay (timeout tests). */
  delayMs?: number;
  /** Misbehave instead of answering: HTTP 500, or bytes that are no TimeStampResp. */
  fault?: 'http-error' | 'garbage';
  /** TSA policy OID put in TSTInfo (default 1.3.6.1.4.1.57264.1.1, a test arc). */
  policy?: string;
}

/** Request handler, run in the service process: one `openssl ts -reply` per query. */
export function tsaHandler(dir: string, opts: TsaOptions = {}): Handler {
  const config = path.join(dir, 'tsa.cnf');
  // openssl ts increments the serial file: one reply at a time.
  const queue = new SerialQueue();
  let n = 0;
  return async (req, body) => {
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    if (opts.fault === 'http-error') return { status: 500, type: 'text/plain', body: Buffer.from('TSA failure\n') };
    if (opts.fault === 'garbage') return { status: 200, type: 'application/timestamp-reply', body: Buffer.from('not a TimeStampResp') };
    if (req.method !== 'POST') return { status: 405, type: 'text/plain', body: Buffer.from('POST a timestamp query\n') };
    const id = ++n;
    const queryFile = path.join(dir, `${id}.tsq`);
    const replyFile = path.join(dir, `${id}.tsr`);
    fs.writeFileSync(queryFile, body);
    try {
      // A malformed query still gets a TimeStampResp (status "rejection"/"badDataFormat"), as
      // RFC 3161 §2.4.2 wants: openssl ts -reply writes one even when it exits non-zero.
      await queue.run(() =>
        run('openssl', ['ts', '-reply', '-config', config, '-queryfile', queryFile, '-out', replyFile]).catch((e: unknown) => {
          if (!fs.existsSync(replyFile)) throw e;
        }),
      );
      return { status: 200, type: 'application/timestamp-reply', body: fs.readFileSync(replyFile) };
    } finally {
      fs.rmSync(queryFile, { force: true });
      fs.rmSync(replyFile, { force: true });
    }
  };
}

