/**
 * One CMS signer, judged as a document signature (ETSI EN 319 102-1 validation, simplified to
 * what a signing app can check offline): integrity (RFC 5652 §5.6), the signing-certificate-v2
 * binding (RFC 5035), the signer's chain to a trust anchor, the signer certificate's purpose
 * (design.md: document signing) and its validity at the signing time — the time-stamp's time
 * (RFC 3161) when a valid one is present, else the time the signer claims.
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import type { HashAlg } from '../../../native/types';
import type { ParsedSignedData } from '../formats/cms/parse';
import { attributeValues } from '../formats/cms/parse';
import { id_aa_signatureTimeStampToken } from '../formats/cms/sign';
import type { SignerInfoReader } from '../formats/cms/signed-data-reader';
import { hasSigningCertificateV2, verifySignerInfo } from '../formats/cms/verify-signer-info';
import { verifyTimestampToken, type TimestampExpectation } from '../formats/tsp/verify-token';
import { buildChain, oneLine, validAt, type CertSource } from '../pki/chain';
import { displayNameOf } from '../pki/names';
import { rfc4514 } from '../pki/summary';
import { certificatePurposes } from '../pki/purposes';
import { systemStore } from '../pki/system-store';
import { validateEmbeddedRevocation, type EmbeddedMaterial } from './revocation';
import type { ChainReport, SignatureReport, TimestampReport, VerifyOptions } from './types';

export interface SignerContext {
  index: number;
  format: 'cades' | 'pades';
  /** PAdES /M when the CMS has no signing-time. */
  claimedTime?: string;
  /** Validation material embedded outside the SignerInfo (PAdES DSS, CAdES SignedData.crls). */
  material?: EmbeddedMaterial;
}

export function anchorsOf(opts: VerifyOptions): CertSource[] {
  return [
    ...(opts.trustAnchors ?? []).map((der) => ({ der, source: 'trust-store' as const })),
    ...(opts.useSystemStore === false ? [] : systemStore().certificates.map((der) => ({ der, source: 'system' as const }))),
  ];
}

export async function reportSigner(
  parsed: ParsedSignedData,
  si: SignerInfoReader,
  contentDigest: (hash: HashAlg) => Promise<Uint8Array> | Uint8Array,
  ctx: SignerContext,
  opts: VerifyOptions,
): Promise<SignatureReport> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const check = await verifySignerInfo(parsed.signedData, si, parsed.certificates, contentDigest);
  errors.push(...check.errors);
  const integrity = check.signatureValid && check.digestMatches;
  const report: SignatureReport = {
    index: ctx.index,
    format: ctx.format,
    signer: '(unknown)',
    integrity,
    chain: { trusted: false, certificates: [], problems: [] },
    purposes: [],
    valid: false,
    errors,
    warnings,
  };
  const claimed = check.signingTime ?? ctx.claimedTime;
  if (claimed) report.signingTime = claimed;
  const der = check.signerCertificate;
  if (!der) return report;

  const tbs = AsnConvert.parse(der, Certificate).tbsCertificate;
  report.signer = displayNameOf(tbs.subject);
  report.signerSubject = rfc4514(tbs.subject);
  report.signerCertificate = Buffer.from(der).toString('base64');
  if (!hasSigningCertificateV2(si)) warnings.push('No signing-certificate-v2 attribute: not a CAdES/PAdES baseline signature');

  const anchors = anchorsOf(opts);
  const intermediates = [...parsed.certificates, ...(ctx.material?.certificates ?? [])].map((d) => ({ der: d, source: 'signature' as const }));

  // Time-stamp over the signature value (RFC 3161 Appendix A).
  const tokens = attributeValues(si.unsignedAttrs, id_aa_signatureTimeStampToken);
  let provenTime: Date | undefined;
  if (tokens.length > 0) {
    report.timestamp = await timestampReport(new Uint8Array(tokens[0]!), new Uint8Array(si.signature.buffer), anchors, intermediates);
    if (!report.timestamp.valid) errors.push(`Time-stamp: ${report.timestamp.errors.join('; ')}`);
    else if (!report.timestamp.trusted) warnings.push(`Time-stamp: ${report.timestamp.errors.join('; ') || 'the TSA is not trusted'}`);
    else provenTime = new Date(report.timestamp.time);
  }

  const at = provenTime ?? (claimed ? new Date(claimed) : (opts.now ?? new Date()));
  const chain = buildChain(der, 'signature', { intermediates, anchors, at });
  report.chain = chainReport(chain);
  if (!chain.trusted) errors.push(`Certificate chain: ${chain.problems.join('; ')}`);
  else if (chain.problems.length > 0) errors.push(`Certificate chain: ${chain.problems.join('; ')}`);

  const leaf = new X509Certificate(der);
  if (!validAt(leaf, at)) {
    errors.push(`The signer certificate was not valid at the signing time (${at.toISOString()}; valid ${new Date(leaf.validFrom).toISOString()} to ${new Date(leaf.validTo).toISOString()})`);
  } else if (!provenTime && !validAt(leaf, opts.now ?? new Date())) {
    warnings.push('The signer certificate has expired since; without a time-stamp the signing time is only what the signer claims');
  }

  // Long-term validation material, judged offline at the signature's time (verify/revocation.ts).
  if (ctx.material && ctx.material.ocsps.length + ctx.material.crls.length > 0) {
    report.revocation = validateEmbeddedRevocation(chain.chain, ctx.material, at);
    for (const c of report.revocation.certificates) {
      if (c.status === 'revoked') errors.push(`Revocation: "${c.subject}" ${c.errors.join('; ')}`);
      else if (c.status === 'unknown') warnings.push(`Revocation data for "${c.subject}": ${c.errors.join('; ')}`);
    }
  }
  report.level = report.timestamp?.valid ? (report.revocation?.status === 'good' ? 'B-LT' : 'B-T') : 'B-B';

  report.purposes = certificatePurposes(der);
  if (!report.purposes.includes('signing')) errors.push('The signer certificate is not for document signing (key usage / extended key usage)');

  report.valid = errors.length === 0;
  return report;
}

/** `covered`: the data the token must cover (a signature value), or an expectation (a PDF's byte ranges). */
export async function timestampReport(token: Uint8Array, signatureValue: Uint8Array | TimestampExpectation, anchors: CertSource[], extra: CertSource[]): Promise<TimestampReport> {
  try {
    const info = await verifyTimestampToken(token, signatureValue instanceof Uint8Array ? { data: signatureValue } : signatureValue);
    const chain = buildChain(info.tsaCertificate, 'signature', {
      intermediates: [...info.certificates.map((d) => ({ der: d, source: 'signature' as const })), ...extra],
      anchors,
      at: info.genTime,
    });
    const tsa = oneLine(new X509Certificate(info.tsaCertificate).subject);
    return { time: info.genTime.toISOString(), valid: true, trusted: chain.trusted && chain.problems.length === 0, tsa, errors: chain.trusted ? chain.problems : ['the TSA certificate does not chain to a trusted root', ...chain.problems] };
  } catch (e) {
    return { time: '', valid: false, trusted: false, tsa: '', errors: [(e as Error).message.replace(/^Time-stamp rejected: /, '')] };
  }
}

export function chainReport(c: ReturnType<typeof buildChain>): ChainReport {
  return {
    trusted: c.trusted,
    certificates: c.chain.map((l) => ({
      subject: oneLine(l.cert.subject),
      issuer: oneLine(l.cert.issuer),
      fingerprintSha256: l.cert.fingerprint256.replace(/:/g, '').toLowerCase(),
    })),
    problems: c.problems,
  };
}
