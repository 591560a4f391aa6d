// Revocation services for the rig's CA database: an OCSP responder (RFC 6960) and a CRL
// server (RFC 5280 §5), both on 127.0.0.1 with an ephemeral port.
//
// The OCSP responder is a small HTTP front answering each request with a one-shot
// `openssl ocsp -index … -reqin … -respout …`. Why not `openssl ocsp -port`: OpenSSL 3.0's
// server mode reads index.txt once at start (a later revocation would never show), binds every
// interface rather than loopback, and its -multi children outlive a killed parent.
//
// These are the request handlers; they run in a service process (service-process.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { OCSPRequest } from '@peculiar/asn1-ocsp';
import { Certificate } from '@peculiar/asn1-x509';
import { pemToDer, type CaName, type CaStore } from './ca';
import { run } from './exec';
import type { Handler } from './http-service';

export interface OcspOptions {
  /** Answer after this delay (timeout tests). */
  delayMs?: number;
  /**
   * Misbehave instead of answering: 'tryLater' / 'internalError' (a valid OCSPResponse with
   * that status, RFC 6960 §4.2.1), 'http-error' (HTTP 500), 'garbage' (bytes that are no DER).
   */
  fault?: 'tryLater' | 'internalError' | 'http-error' | 'garbage';
  /** Minutes until nextUpdate; default 60. */
  nextUpdateMinutes?: number;
}

const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED } with no responseBytes. */
function statusOnlyResponse(status: number): Buffer {
  return Buffer.from([0x30, 0x03, 0x0a, 0x01, status]);
}

/** Which of the rig's CAs a request asks about (by CertID.issuerNameHash, RFC 6960 §4.1.1). */
function issuerOf(store: CaStore, requestDer: Buffer): CaName {
  const req = AsnConvert.parse(requestDer, OCSPRequest);
  const certId = req.tbsRequest.requestList[0]?.reqCert;
  if (certId === undefined) return 'root';
  const hash = HASH_BY_OID[certId.hashAlgorithm.algorithm] ?? 'sha1';
  const wanted = Buffer.from(certId.issuerNameHash.buffer).toString('hex');
  for (const ca of ['root', 'intermediate'] as const) {
    const cert = AsnConvert.parse(pemToDer(fs.readFileSync(store.certPath(ca), 'utf8')), Certificate);
    const nameDer = Buffer.from(AsnConvert.serialize(cert.tbsCertificate.subject));
    if (crypto.createHash(hash).update(nameDer).digest('hex') === wanted) return ca;
  }
  return 'root';
}

/**
 * OCSP responder over the store's databases. Responses are signed by the issuing CA itself
 * (RFC 6960 §4.2.2.2 allows it), copy the request nonce, and say good / revoked / unknown
 * from index.txt as it is at the time of the request.
 */
export function ocspHandler(store: CaStore, workDir: string, opts: OcspOptions = {}): Handler {
  fs.mkdirSync(workDir, { recursive: true });
  let n = 0;
  return async (req, body) => {
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    if (opts.fault === 'http-error') return { status: 500, type: 'text/plain', body: Buffer.from('responder failure\n') };
    if (opts.fault === 'garbage') return { status: 200, type: 'application/ocsp-response', body: Buffer.from('not an OCSP response') };
    if (opts.fault === 'tryLater') return { status: 200, type: 'application/ocsp-response', body: statusOnlyResponse(3) };
    if (opts.fault === 'internalError') return { status: 200, type: 'application/ocsp-response', body: statusOnlyResponse(2) };
    let requestDer: Buffer;
    if (req.method === 'POST') requestDer = body;
    else if (req.method === 'GET') {
      // RFC 6960 Appendix A.1: GET {url}/{url-encoding of base64 of the DER request}
      const last = decodeURIComponent((req.url ?? '/').split('/').pop() ?? '');
      requestDer = Buffer.from(last, 'base64');
    } else return { status: 405, type: 'text/plain', body: Buffer.from('use GET or POST\n') };
    let ca: CaName;
    try {
      ca = issuerOf(store, requestDer);
    } catch {
      return { status: 200, type: 'application/ocsp-response', body: statusOnlyResponse(1) }; // malformedRequest
    }
    const id = ++n;
    const reqFile = path.join(workDir, `${id}.req`);
    const respFile = path.join(workDir, `${id}.resp`);
    fs.writeFileSync(reqFile, requestDer);
    try {
      await run('openssl', [
        'ocsp', '-index', store.indexPath(ca), '-CA', store.certPath(ca),
        '-rsigner', store.certPath(ca), '-rkey', store.keyPath(ca),
        '-reqin', reqFile, '-respout', respFile, '-nmin', String(opts.nextUpdateMinutes ?? 60),
      ]);
      return { status: 200, type: 'application/ocsp-response', body: fs.readFileSync(respFile) };
    } finally {
      fs.rmSync(reqFile, { force: true });
      fs.rmSync(respFile, { force: true });
    }
  };
}

/** Serves /root.crl and /intermediate.crl (DER), signed afresh on every request. */
export function crlHandler(store: CaStore): Handler {
  return async (req) => {
    const m = /^\/(root|intermediate)\.crl$/.exec(req.url ?? '');
    if (m === null || req.method !== 'GET') return { status: 404, type: 'text/plain', body: Buffer.from('not found\n') };
    return { status: 200, type: 'application/pkix-crl', body: await store.crlDer(m[1] as CaName) };
  };
}
