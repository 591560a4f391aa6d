/**
 * CertificateDetails (electron/core/types.ts): everything a details view shows, in the spirit of
 * `openssl x509 -text` but readable — sections for the names, validity, key, every extension,
 * fingerprints — plus the chain as far as it can be built and the PEM.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import type { CertificateDetails, CertificateField, CertificateSummary } from '../types';
import { buildChain, oneLine, type CertSource } from './chain';
import { describeExtensions, hexColons, type Section } from './extensions';
import { nameFields } from './names';
import { SIGNATURE_ALGORITHM_NAMES } from './oid-names';
import { toPem } from './pem';
import type { SigningPolicy } from './signing-checks';
import { systemStore } from './system-store';
import { toCertificateView, validityOf } from './view';

export interface DetailsOptions {
  /** Other certificates on the token (possible intermediates). DER. */
  tokenCertificates?: readonly Uint8Array[];
  /** Configured trust anchors (config / admin policy). DER. */
  trustAnchors?: readonly Uint8Array[];
  /** Use the OS store as anchors too (default true). */
  useSystemStore?: boolean;
  now?: Date;
  policy?: SigningPolicy;
}

export function certificateDetails(summary: CertificateSummary, options: DetailsOptions = {}): CertificateDetails {
  const now = options.now ?? new Date();
  const der = new Uint8Array(Buffer.from(summary.certificate, 'base64'));
  const view = toCertificateView(summary, { now, ...(options.policy ? { policy: options.policy } : {}) });
  const anchors: CertSource[] = [
    ...(options.trustAnchors ?? []).map((d) => ({ der: d, source: 'trust-store' as const })),
    ...(options.useSystemStore === false ? [] : systemStore().certificates.map((d) => ({ der: d, source: 'system' as const }))),
  ];
  const result = buildChain(der, 'token', {
    intermediates: (options.tokenCertificates ?? []).map((d) => ({ der: d, source: 'token' as const })),
    anchors,
    at: now,
  });
  return {
    summary: view,
    sections: certificateSections(der, now),
    chain: result.chain.map((l) => ({
      subject: oneLine(l.cert.subject),
      issuer: oneLine(l.cert.issuer),
      fingerprintSha256: l.cert.fingerprint256.replace(/:/g, '').toLowerCase(),
      source: l.source === 'signature' ? 'token' : l.source,
    })),
    chainTrusted: result.trusted,
    pem: toPem(der),
  };
}

/** The readable sections of one certificate (also used for signer certificates in verify). */
export function certificateSections(der: Uint8Array, now: Date = new Date()): Section[] {
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  const x = new X509Certificate(der);
  const notBefore = new Date(x.validFrom);
  const notAfter = new Date(x.validTo);
  const { validity, daysLeft } = validityOf(notBefore, notAfter, now);
  const statusText =
    validity === 'expired'
      ? `Expired ${-daysLeft} days ago`
      : validity === 'not-yet-valid'
        ? 'Not yet valid'
        : validity === 'expiring-soon'
          ? `Valid, expires in ${daysLeft} days`
          : `Valid (${daysLeft} days left)`;
  const sigAlg = cert.signatureAlgorithm.algorithm;
  const sections: Section[] = [
    { title: 'Subject', fields: nameFields(tbs.subject).map((f) => ({ name: f.label, value: f.value })) },
    { title: 'Issuer', fields: nameFields(tbs.issuer).map((f) => ({ name: f.label, value: f.value })) },
    {
      title: 'Validity',
      fields: [
        { name: 'Not before', value: notBefore.toISOString() },
        { name: 'Not after', value: notAfter.toISOString() },
        { name: 'Status', value: statusText },
      ],
    },
    { title: 'Public key', fields: publicKeyFields(x) },
    ...describeExtensions(tbs.extensions ?? []),
    {
      title: 'Certificate',
      fields: [
        { name: 'Version', value: String(tbs.version + 1) },
        { name: 'Serial number', value: hexColons(tbs.serialNumber) },
        { name: 'Signature algorithm', value: SIGNATURE_ALGORITHM_NAMES[sigAlg] ? `${SIGNATURE_ALGORITHM_NAMES[sigAlg]} (${sigAlg})` : sigAlg },
      ],
    },
    {
      title: 'Fingerprints',
      fields: [
        { name: 'SHA-256', value: hexColons(createHash('sha256').update(der).digest()) },
        { name: 'SHA-1', value: hexColons(createHash('sha1').update(der).digest()) },
      ],
    },
  ];
  return sections.filter((s) => s.fields.length > 0);
}

function publicKeyFields(x: X509Certificate): CertificateField[] {
  const key = x.publicKey;
  const d = key.asymmetricKeyDetails ?? {};
  const spki = key.export({ type: 'spki', format: 'der' });
  const fields: CertificateField[] = [];
  if (key.asymmetricKeyType === 'rsa') {
    fields.push({ name: 'Algorithm', value: `RSA ${d.modulusLength ?? '?'} bits` });
    if (d.publicExponent !== undefined) fields.push({ name: 'Exponent', value: String(d.publicExponent) });
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[d.namedCurve ?? ''] ?? d.namedCurve ?? '?';
    fields.push({ name: 'Algorithm', value: `EC ${curve}` });
  } else fields.push({ name: 'Algorithm', value: key.asymmetricKeyType ?? 'unknown' });
  fields.push({ name: 'SPKI SHA-256', value: hexColons(createHash('sha256').update(spki).digest()) });
  return fields;
}
