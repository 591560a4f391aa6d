/**
 * Gathering validation material for B-LT (ETSI EN 319 142-1 §5.4, EN 319 122-1 §5.5,
 * EN 319 102-1 §5.2.5): for every certificate of each chain (the signer's, the TSAs') up to a
 * self-signed root, its issuer — from the certificates at hand, else fetched from the
 * certificate's AIA caIssuers URL (RFC 5280 §4.2.2.1) — and one revocation answer: OCSP first
 * (RFC 6960), the CRL as fallback (RFC 5280 §5). Every answer is checked (signature, issuer,
 * freshness) before it is kept; failures are recorded per certificate, never dropped silently.
 * Roots need none (they are trust anchors, EN 319 102-1 §5.2.5).
 */
import { X509Certificate, createHash } from 'node:crypto';
import { SignetError } from '../../../native/errors';
import { fetchBytes } from '../net/fetch-bytes';
import { oneLine } from '../pki/chain';
import { certificatesFromFile } from '../pki/pem';
import { revocationSources } from '../pki/revocation/check';
import { fetchCrl } from '../pki/revocation/crl';
import { fetchOcsp } from '../pki/revocation/ocsp';
import type { CertRevocationStatus, CertRole, ValidationMaterial } from './types';

export interface CollectTarget {
  role: CertRole;
  /** The leaf first, then whatever of its chain is known. */
  chain: readonly Uint8Array[];
}

export interface CollectOptions {
  /** Per request (default 15 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: Date;
  /** More certificates to look for issuers in (trust anchors). */
  extraCertificates?: readonly Uint8Array[];
}

const MAX_DEPTH = 8;

export async function collectValidationMaterial(targets: readonly CollectTarget[], opts: CollectOptions = {}): Promise<ValidationMaterial> {
  const pool = new CertPool();
  for (const t of targets) for (const c of t.chain) pool.add(c);
  for (const c of opts.extraCertificates ?? []) pool.add(c, false);
  const ocsps = new DerSet();
  const crls = new DerSet();
  const statuses: CertRevocationStatus[] = [];
  const done = new Set<string>();
  const req = { ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.now ? { now: opts.now } : {}) };

  for (const t of targets) {
    let cur = t.chain[0];
    for (let depth = 0; cur && depth < MAX_DEPTH; depth++) {
      opts.signal?.throwIfAborted();
      const x = new X509Certificate(cur);
      const key = x.fingerprint256;
      if (isSelfSigned(x)) {
        pool.embed(cur);
        break;
      }
      if (done.has(key)) break;
      done.add(key);
      pool.embed(cur);
      const subject = oneLine(x.subject);
      const sources = revocationSources(cur);
      let issuer = pool.issuerOf(x);
      const problems: string[] = [];
      if (!issuer) {
        for (const url of sources.caIssuers) {
          try {
            const got = certificatesFromFile(await fetchBytes(url, { what: 'CA issuers (AIA) server', maxBytes: 1024 * 1024, ...req }), url);
            for (const c of got) pool.add(c);
            issuer = pool.issuerOf(x);
            if (issuer) break;
            problems.push(`AIA caIssuers ${url}: not the issuer's certificate`);
          } catch (e) {
            if (e instanceof SignetError && e.code === 'USER_CANCELLED') throw e;
            problems.push(`AIA caIssuers ${url}: ${(e as Error).message}`);
          }
        }
      }
      if (!issuer) {
        statuses.push({ subject, role: t.role, status: 'unknown', problems: [`the issuer's certificate was not found${sources.caIssuers.length ? '' : ' (no AIA caIssuers URL)'}`, ...problems] });
        break;
      }
      if (sources.ocsp.length === 0 && sources.crl.length === 0) {
        statuses.push({ subject, role: t.role, status: 'unknown', noSource: true, problems: ['the certificate names no OCSP responder and no CRL distribution point'] });
      } else {
        statuses.push(await revocationFor(cur, issuer, sources, { subject, role: t.role, ocsps, crls, pool, req }));
      }
      cur = issuer;
    }
  }
  return { certificates: pool.embedded(), ocsps: ocsps.values(), crls: crls.values(), statuses };
}

async function revocationFor(
  leaf: Uint8Array,
  issuer: Uint8Array,
  sources: { ocsp: string[]; crl: string[] },
  c: { subject: string; role: CertRole; ocsps: DerSet; crls: DerSet; pool: CertPool; req: { timeoutMs?: number; signal?: AbortSignal; now?: Date } },
): Promise<CertRevocationStatus> {
  const problems: string[] = [];
  const attempts = [
    ...sources.ocsp.map((url) => ({ kind: 'ocsp' as const, url, run: () => fetchOcsp(url, leaf, issuer, c.req) })),
    ...sources.crl.map((url) => ({ kind: 'crl' as const, url, run: () => fetchCrl(url, leaf, issuer, c.req) })),
  ];
  for (const a of attempts) {
    try {
      const { answer, der } = await a.run();
      if (answer.status === 'unknown') {
        problems.push(answer.problem ?? `${a.kind.toUpperCase()} ${a.url}: no answer`);
        continue;
      }
      (a.kind === 'ocsp' ? c.ocsps : c.crls).add(der);
      c.pool.embed(issuer);
      return {
        subject: c.subject,
        role: c.role,
        status: answer.status,
        source: a.kind,
        url: a.url,
        ...(answer.checkedAt ? { checkedAt: answer.checkedAt } : {}),
        ...(answer.revokedAt ? { revokedAt: answer.revokedAt } : {}),
        problems,
      };
    } catch (e) {
      if (e instanceof SignetError && e.code === 'USER_CANCELLED') throw e;
      problems.push(`${a.kind === 'ocsp' ? 'OCSP' : 'CRL'} ${a.url}: ${(e as Error).message}`);
    }
  }
  return { subject: c.subject, role: c.role, status: 'unknown', problems };
}

function isSelfSigned(x: X509Certificate): boolean {
  return x.subject === x.issuer && x.checkIssued(x) && x.verify(x.publicKey);
}

/** Certificates known (to find issuers) and those to embed, each once. */
class CertPool {
  private readonly known = new Map<string, { der: Uint8Array; x: X509Certificate }>();
  private readonly toEmbed = new DerSet();

  add(der: Uint8Array, embed = true): void {
    const k = createHash('sha256').update(der).digest('hex');
    if (!this.known.has(k)) this.known.set(k, { der, x: new X509Certificate(der) });
    if (embed) this.toEmbed.add(der);
  }
  embed(der: Uint8Array): void {
    this.toEmbed.add(der);
  }
  issuerOf(x: X509Certificate): Uint8Array | undefined {
    for (const { der, x: c } of this.known.values()) {
      if (c.fingerprint256 !== x.fingerprint256 && x.checkIssued(c) && x.verify(c.publicKey)) return der;
    }
    return undefined;
  }
  embedded(): Uint8Array[] {
    return this.toEmbed.values();
  }
}

/** DER blobs, each once, in the order first seen. */
export class DerSet {
  private readonly map = new Map<string, Uint8Array>();
  add(der: Uint8Array): void {
    const k = createHash('sha256').update(der).digest('hex');
    if (!this.map.has(k)) this.map.set(k, der);
  }
  values(): Uint8Array[] {
    return [...this.map.values()];
  }
}

/**
 * Is the material enough for B-LT? Every certificate of the signer's chain below the root needs
 * a definite answer; a certificate that names no source at all (typical of TSA and intermediate
 * certificates of private PKIs) is a warning, not a failure, except the signer's own. Revoked is
 * always a failure (CERT_UNTRUSTED).
 */
export function judgeMaterial(m: ValidationMaterial): { ok: true; warnings: string[] } | { ok: false; error: SignetError } {
  const revoked = m.statuses.find((s) => s.status === 'revoked');
  if (revoked) {
    return { ok: false, error: new SignetError('CERT_UNTRUSTED', `The certificate "${revoked.subject}" is revoked${revoked.revokedAt ? ` since ${revoked.revokedAt}` : ''} (${revoked.source?.toUpperCase()} ${revoked.url})`, { details: { reason: 'revoked', subject: revoked.subject } }) };
  }
  const warnings: string[] = [];
  const missing: CertRevocationStatus[] = [];
  m.statuses.forEach((s, i) => {
    if (s.status !== 'unknown') return;
    const signerLeaf = s.role === 'signer' && i === m.statuses.findIndex((x) => x.role === 'signer');
    if (s.noSource && !signerLeaf) warnings.push(`No revocation data for "${s.subject}" (${s.role === 'tsa' ? 'time-stamp authority' : 'signer chain'}): ${s.problems.join('; ')}`);
    else missing.push(s);
  });
  if (missing.length === 0) return { ok: true, warnings };
  const lines = missing.map((s) => `"${s.subject}": ${s.problems.join('; ') || 'no answer'}`);
  return {
    ok: false,
    error: new SignetError('INTERNAL', `Revocation data for long-term validation could not be obtained — ${lines.join(' | ')}`, {
      retriable: true,
      details: { reason: 'revocation-unavailable', certificates: missing.map((s) => s.subject).join('\n') },
    }),
  };
}
