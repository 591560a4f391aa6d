/**
 * Reading CMS SignedData (RFC 5652 §3, §5) from DER: the ContentInfo wrapper, the certificates
 * as their original bytes, the encapsulated content, and the signer's certificate (§5.3 sid:
 * issuerAndSerialNumber or subjectKeyIdentifier).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, id_signedData } from '@peculiar/asn1-cms';
import { SignedDataReader, type SignerInfoReader } from './signed-data-reader';
import { Certificate, SubjectKeyIdentifier, id_ce_subjectKeyIdentifier } from '@peculiar/asn1-x509';
import { SignetError } from '../../../../native/errors';

export interface ParsedSignedData {
  signedData: SignedDataReader;
  /** Embedded certificates, DER. */
  certificates: Uint8Array[];
}

export function parseSignedData(der: Uint8Array): ParsedSignedData {
  let ci: ContentInfo;
  let sd: SignedDataReader;
  try {
    ci = AsnConvert.parse(der, ContentInfo);
  } catch (e) {
    throw new SignetError('INVALID_INPUT', 'Not a CMS signature (ContentInfo cannot be parsed)', { cause: e });
  }
  if (ci.contentType !== id_signedData) throw new SignetError('INVALID_INPUT', `Not a CMS SignedData (content type ${ci.contentType})`);
  try {
    sd = AsnConvert.parse(ci.content, SignedDataReader);
  } catch (e) {
    throw new SignetError('INVALID_INPUT', 'The CMS SignedData cannot be parsed', { cause: e });
  }
  const certificates = (sd.certificates ?? [])
    .filter((c) => c.certificate)
    .map((c) => new Uint8Array(AsnConvert.serialize(c.certificate!)));
  return { signedData: sd, certificates };
}

/** The eContent octets, when the content is encapsulated (e.g. a TSTInfo). */
export function encapsulatedContent(sd: SignedDataReader): Uint8Array | undefined {
  const ec = sd.encapContentInfo.eContent;
  if (!ec) return undefined;
  if (ec.single) return new Uint8Array(ec.single.buffer);
  if (ec.any) return new Uint8Array(ec.any);
  return undefined;
}

/** The certificate among `candidates` that SignerInfo.sid names. */
export function findSignerCertificate(si: SignerInfoReader, candidates: readonly Uint8Array[]): Uint8Array | undefined {
  const ias = si.sid.issuerAndSerialNumber;
  const ski = si.sid.subjectKeyIdentifier;
  for (const der of candidates) {
    let cert: Certificate;
    try {
      cert = AsnConvert.parse(der, Certificate);
    } catch {
      continue;
    }
    const tbs = cert.tbsCertificate;
    if (ias) {
      if (
        Buffer.compare(Buffer.from(ias.serialNumber), Buffer.from(tbs.serialNumber)) === 0 &&
        Buffer.compare(Buffer.from(AsnConvert.serialize(ias.issuer)), Buffer.from(AsnConvert.serialize(tbs.issuer))) === 0
      ) {
        return der;
      }
    } else if (ski) {
      const ext = tbs.extensions?.find((x) => x.extnID === id_ce_subjectKeyIdentifier);
      if (ext) {
        const own = AsnConvert.parse(ext.extnValue, SubjectKeyIdentifier);
        if (Buffer.compare(Buffer.from(own.buffer), Buffer.from(ski.buffer)) === 0) return der;
      }
    }
  }
  return undefined;
}

/** Attribute values of one type (empty when absent). */
export function attributeValues(attrs: { attrType: string; attrValues: ArrayBuffer[] }[] | undefined, type: string): ArrayBuffer[] {
  return (attrs ?? []).filter((a) => a.attrType === type).flatMap((a) => a.attrValues);
}
