/**
 * CAdES B-LT for a detached .p7s (ETSI EN 319 122-1 §5.5.1 / §6.3, as EN 319 122-2's baseline
 * profile asks): the validation material goes into the SignedData itself — certificates into
 * `certificates`, OCSP responses into `crls` as OtherRevocationInfoFormat id-ri-ocsp-response
 * (RFC 5940 §2.2.1), version 5 (RFC 5652 §5.1) — not into certificate-values / revocation-values
 * attributes, which the baseline profile excludes for B-LT because an archive-time-stamp-v3
 * covers the SignedData fields instead.
 *
 *   RevocationInfoChoice ::= CHOICE { crl CertificateList, other [1] IMPLICIT OtherRevocationInfoFormat }
 *
 * The SignerInfos (signed attributes and signature) are carried over as parsed, so the signature
 * stays the signer's. Not done: CRLs (the kept ASN.1 type offers only the `other` choice) and
 * B-LTA (archive-time-stamp-v3 with ats-hash-index-v3, EN 319 122-1 §5.5.3): both fail clearly.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  ContentInfo,
  OtherRevocationInfoFormat,
  RevocationInfoChoice,
  RevocationInfoChoices,
  id_ri_ocsp_response,
  id_signedData,
} from '@peculiar/asn1-cms';
import { Certificate } from '@peculiar/asn1-x509';
import { SignetError } from '../../../native/errors';
import { SignedDataReader } from '../formats/cms/signed-data-reader';
import { collectValidationMaterial, judgeMaterial, type CollectOptions } from './collect';
import { targetsOfCms } from './targets';

export async function extendCades(der: Uint8Array, o: { level: 'LT' | 'LTA'; collect?: CollectOptions }): Promise<{ der: Uint8Array; warnings: string[] }> {
  if (o.level === 'LTA') {
    throw new SignetError('INVALID_INPUT', 'CAdES B-LTA (archive-time-stamp-v3, ETSI EN 319 122-1 §5.5.3) is not supported yet: use level LT for a .p7s, or sign the PDF with PAdES B-LTA', {
      details: { reason: 'cades-lta-unsupported' },
    });
  }
  const material = await collectValidationMaterial(targetsOfCms(der), o.collect ?? {});
  const judged = judgeMaterial(material);
  if (!judged.ok) throw judged.error;
  if (material.crls.length > 0) {
    const names = material.statuses.filter((s) => s.source === 'crl').map((s) => s.subject);
    throw new SignetError('INTERNAL', `CAdES B-LT with CRLs is not supported yet (only OCSP responses are embedded); revocation of ${names.join(', ')} is known only from a CRL`, {
      details: { reason: 'revocation-unavailable', certificates: names.join('\n') },
    });
  }
  const ci = AsnConvert.parse(der, ContentInfo);
  if (ci.contentType !== id_signedData) throw new SignetError('INVALID_INPUT', 'Not a CMS SignedData');
  const sd = AsnConvert.parse(ci.content, SignedDataReader);
  const have = new Set((sd.certificates ?? []).filter((c) => c.certificate).map((c) => Buffer.from(AsnConvert.serialize(c.certificate!)).toString('base64')));
  const certs = new CertificateSet([...(sd.certificates ?? [])]);
  for (const c of material.certificates) {
    const k = Buffer.from(c).toString('base64');
    if (have.has(k)) continue;
    have.add(k);
    certs.push(new CertificateChoices({ certificate: AsnConvert.parse(c, Certificate) }));
  }
  sd.certificates = certs;
  sd.crls = new RevocationInfoChoices([
    ...(sd.crls ?? []),
    ...material.ocsps.map((r) => new RevocationInfoChoice({ other: new OtherRevocationInfoFormat({ otherRevInfoFormat: id_ri_ocsp_response, otherRevInfo: toArrayBuffer(r) }) })),
  ]);
  // RFC 5652 §5.1: an "other" revocation info format makes the SignedData version 5.
  sd.version = CMSVersion.v5;
  const out = new Uint8Array(AsnConvert.serialize(new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(sd) })));
  return { der: out, warnings: judged.warnings };
}

/** OCSP responses embedded in SignedData.crls (RFC 5940), DER. */
export function embeddedOcspResponses(sd: SignedDataReader): Uint8Array[] {
  return (sd.crls ?? []).filter((c) => c.other?.otherRevInfoFormat === id_ri_ocsp_response).map((c) => new Uint8Array(c.other.otherRevInfo));
}

function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
}
