/**
 * Certificates on the tokens as CertificateSummary (`signet certs`, the app's token panel, the web
 * API's certificate list): the token client's pairing plus pki/summary.ts. Certificates Signet
 * cannot sign with (other key types, unparsable DER) are left out and logged.
 */
import type { TokenClient } from '../../native/client';
import { nullLogger, type Logger } from '../../native/log';
import type { CertificateSummary } from './types';
import { summarizeCertificate } from './pki/summary';

export async function listCertificateSummaries(client: TokenClient, opts: { tokenUri?: string; signal?: AbortSignal; logger?: Logger } = {}): Promise<CertificateSummary[]> {
  const logger = opts.logger ?? nullLogger;
  const found = await client.listCertificates(opts.tokenUri, opts.signal ? { signal: opts.signal } : {});
  const out: CertificateSummary[] = [];
  for (const c of found) {
    try {
      out.push(summarizeCertificate(c));
    } catch (e) {
      logger.log('info', 'certificate skipped', { uri: c.uri, reason: e });
    }
  }
  return out;
}
