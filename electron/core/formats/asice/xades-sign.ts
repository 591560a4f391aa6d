/**
 * One XAdES signature over the data files of an ASiC-E container (ETSI EN 319 132-1 baseline,
 * EN 319 162-1 §4.4.3), made with xadesjs/xmldsigjs:
 *
 *   <asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#">
 *     <ds:Signature Id="S0">
 *       <ds:SignedInfo>  exclusive C14N, rsa-sha256 / ecdsa-sha256 …
 *         <ds:Reference Id="S0-ref-0" URI="a.pdf"> digest of the file's bytes (no transform)
 *         …one per data file…
 *         <ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#S0-SignedProperties">
 *           exclusive C14N transform
 *       <ds:SignatureValue Id="S0-SIG">  from the token
 *       <ds:KeyInfo><ds:X509Data>  signer certificate, then its chain
 *       <ds:Object><xades:QualifyingProperties Target="#S0">
 *         <xades:SignedProperties Id="S0-SignedProperties">
 *           SignedSignatureProperties: SigningTime, SigningCertificateV2 (EN 319 132-1 §5.2.1, §5.2.2)
 *           SignedDataObjectProperties: DataObjectFormat/MimeType per file reference (§5.2.4)
 *         <xades:UnsignedProperties>  B-T: SignatureTimeStamp (§5.3); B-LT: CertificateValues,
 *                                     RevocationValues (§5.4.1, §5.4.2)
 *
 * Exclusive canonicalisation (as EU DSS writes XAdES) because the signature lives inside
 * asic:XAdESSignatures: exclusive C14N leaves the ancestors' unused namespaces out, so what is
 * signed does not depend on the element the signature is put in.
 *
 * The key stays on the token: xml-runtime.ts routes the library's final "sign the canonical
 * SignedInfo" to DocumentSigner.sign (the digest is signed on the card).
 */
import { constants, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import * as XAdES from 'xadesjs';
import { Reference, Transforms, XmlDsigExcC14NTransform } from 'xmldsigjs';
import { SignetError } from '../../../../native/errors';
import type { HashAlg } from '../../../../native/types';
import type { DocumentSigner } from '../../document-signer';
import { HASH_LENGTH } from '../../hashing';
import type { TimestampInfo } from '../tsp/verify-token';
import { ASIC_NS, DS_NS, EXC_C14N, SIGNED_PROPERTIES_TYPE, XADES_NS } from './names';
import { canonicalSignatureValue, exclusiveC14n } from './c14n';
import { ensureXmlRuntime, tokenSigningKey } from './xml-runtime';

export const XML_DIGEST: Record<HashAlg, string> = {
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
};
const WEBCRYPTO_HASH: Record<HashAlg, string> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

export interface XadesDataObject {
  /** Name in the container; the reference URI is its percent-encoding (RFC 3986). */
  name: string;
  /** Digest of the file's bytes with the signature's hash. */
  digest: Uint8Array;
  mimeType: string;
}

/** Validation data for B-LT (EN 319 132-1 §5.4): certificates and revocation values, DER. */
export interface ValidationData {
  certificates: Uint8Array[];
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

export interface XadesSignInput {
  signer: DocumentSigner;
  hash: HashAlg;
  files: readonly XadesDataObject[];
  /** Chain certificates after the signer's, DER (put in KeyInfo). */
  chain: readonly Uint8Array[];
  signingTime: Date;
  /** The signature's Id ("S0", "S1", …): unique in the container. */
  id: string;
  /** B-T: time-stamp the canonical ds:SignatureValue. */
  timestamp?: (data: Uint8Array, hash: HashAlg, signal?: AbortSignal) => Promise<TimestampInfo>;
  /** B-LT: after the time-stamp, the validation data for the signer's and the TSA's chains (undefined: stay at B-T). */
  validationData?: (timestamp: TimestampInfo | undefined, signal?: AbortSignal) => Promise<ValidationData | undefined>;
  signal?: AbortSignal;
  onPhase?: (phase: 'signing' | 'timestamping') => void;
}

export interface XadesSignature {
  /** The whole META-INF/signatures<N>.xml. */
  xml: Buffer;
  signatureValue: Uint8Array;
  timestamp?: TimestampInfo;
}

/** xadesjs's SignedXml with the SignedProperties reference canonicalised by exclusive C14N. */
class ExclusiveSignedXml extends XAdES.SignedXml {
  protected override async ApplySignOptions(
    signature: Parameters<XAdES.SignedXml['ApplySignOptions']>[0],
    algorithm: Parameters<XAdES.SignedXml['ApplySignOptions']>[1],
    key: Parameters<XAdES.SignedXml['ApplySignOptions']>[2],
    options: Parameters<XAdES.SignedXml['ApplySignOptions']>[3],
  ): Promise<void> {
    await super.ApplySignOptions(signature, algorithm, key, options);
    signature.SignedInfo.References.ForEach((r) => {
      if (r.Type === SIGNED_PROPERTIES_TYPE) {
        const t = new Transforms();
        t.Add(new XmlDsigExcC14NTransform());
        r.Transforms = t;
      }
    });
  }
}

export async function signXades(input: XadesSignInput): Promise<XadesSignature> {
  ensureXmlRuntime();
  const { signer, hash, id } = input;
  if (input.files.length === 0) throw new SignetError('INVALID_INPUT', 'A container signature needs at least one file');
  const sx = new ExclusiveSignedXml();
  sx.XmlSignature.Id = id;
  sx.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = EXC_C14N;
  sx.Properties!.Target = `#${id}`;
  sx.SignedProperties.Id = `${id}-SignedProperties`;
  input.files.forEach((f, i) => {
    const r = new Reference();
    r.Id = `${id}-ref-${i}`;
    r.Uri = referenceUri(f.name);
    r.DigestMethod.Algorithm = XML_DIGEST[hash];
    // Set here, so the library does not look for the content: xmldsigjs digests only references without a value.
    r.DigestValue = f.digest;
    sx.XmlSignature.SignedInfo.References.Add(r);
    const format = new XAdES.xml.DataObjectFormat();
    format.ObjectReference = `#${r.Id}`;
    format.MimeType = f.mimeType;
    sx.SignedProperties.SignedDataObjectProperties.DataObjectFormats.Add(format);
  });
  const certB64 = Buffer.from(signer.certificate).toString('base64');
  const { key, algorithm } = await tokenSigningKey(signer, hash, input.signal);
  // xsd:dateTime in UTC without fractions, as DSS and DigiDoc write it.
  const signingTime = new Date(Math.floor(input.signingTime.getTime() / 1000) * 1000);
  input.signal?.throwIfAborted();
  input.onPhase?.('signing');
  await sx.Sign(algorithm as never, key as never, undefined as never, {
    x509: [certB64, ...input.chain.map((c) => Buffer.from(c).toString('base64'))],
    signingCertificateV2: { certificate: certB64, digestAlgorithm: WEBCRYPTO_HASH[hash] },
    signingTime: { value: signingTime, format: "isoUtcDateTime" },
  });
  const signatureValue = new Uint8Array(sx.Signature!);

  // The signature in the document that is written (asic:XAdESSignatures): the SignedInfo check and
  // the time-stamp's canonicalisation below work on the elements the file will hold.
  const sigEl = sx.GetXml();
  if (!sigEl) throw new SignetError('INTERNAL', 'The XML signature could not be built');
  const doc = new DOMParser().parseFromString(`<asic:XAdESSignatures xmlns:asic="${ASIC_NS}"/>`, 'text/xml');
  doc.documentElement!.appendChild(doc.importNode(sigEl as unknown as Parameters<typeof doc.importNode>[0], true));
  const sigValueEl = doc.getElementsByTagNameNS(DS_NS, 'SignatureValue').item(0)!;
  sigValueEl.setAttribute('Id', `${id}-SIG`);
  assertSignatureValue(signer, hash, doc.getElementsByTagNameNS(DS_NS, 'SignedInfo').item(0)!, signatureValue);

  let ts: TimestampInfo | undefined;
  const unsigned: XAdES.xml.UnsignedSignatureProperty[] = [];
  if (input.timestamp) {
    input.signal?.throwIfAborted();
    input.onPhase?.('timestamping');
    ts = await input.timestamp(canonicalSignatureValue(sigValueEl), hash, input.signal);
    const st = new XAdES.xml.SignatureTimeStamp();
    st.Id = `${id}-T0`;
    st.CanonicalizationMethod.Algorithm = EXC_C14N;
    const enc = new XAdES.xml.EncapsulatedTimeStamp();
    enc.Value = ts.token;
    st.EncapsulatedTimeStamp.Add(enc);
    unsigned.push(st);
  }
  if (input.validationData) {
    input.signal?.throwIfAborted();
    const vd = await input.validationData(ts, input.signal);
    if (vd) addValidationData(unsigned, vd);
  }
  if (unsigned.length > 0) {
    const props = new XAdES.xml.UnsignedProperties();
    for (const u of unsigned) props.UnsignedSignatureProperties.Add(u);
    const qp = doc.getElementsByTagNameNS(XADES_NS, 'QualifyingProperties').item(0)!;
    qp.appendChild(doc.importNode(props.GetXml() as unknown as Parameters<typeof doc.importNode>[0], true));
  }
  const xml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}`, 'utf8');
  return ts ? { xml, signatureValue, timestamp: ts } : { xml, signatureValue };
}

/** EN 319 132-1 §5.4.1, §5.4.2: CertificateValues (every certificate of the chains and the responders) and RevocationValues. */
function addValidationData(unsigned: XAdES.xml.UnsignedSignatureProperty[], vd: ValidationData): void {
  const certs = new XAdES.xml.CertificateValues();
  for (const c of vd.certificates) {
    const e = new XAdES.xml.EncapsulatedX509Certificate();
    e.Value = c;
    certs.EncapsulatedX509Certificates.Add(e);
  }
  const rev = new XAdES.xml.RevocationValues();
  for (const o of vd.ocspResponses) {
    const e = new XAdES.xml.EncapsulatedOCSPValue();
    e.Value = o;
    rev.OCSPValues.Add(e);
  }
  for (const c of vd.crls) {
    const e = new XAdES.xml.EncapsulatedCRLValue();
    e.Value = c;
    rev.CRLValues.Add(e);
  }
  unsigned.push(certs, rev);
}

/** A data file's reference URI: a relative URI reference to the entry (RFC 3986 percent-encoding). */
export function referenceUri(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

/**
 * A token that signs with another key than the certificate's (wrong CKA_ID pairing, a module
 * bug) must not produce a container that fails at the recipient: the SignedInfo as the file holds
 * it, canonicalised, must verify with the certificate's key.
 */
function assertSignatureValue(signer: DocumentSigner, hash: HashAlg, signedInfo: Element, value: Uint8Array): void {
  const key = new X509Certificate(signer.certificate).publicKey;
  const data = exclusiveC14n(signedInfo);
  const ok =
    signer.scheme === 'ecdsa'
      ? cryptoVerify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, value)
      : signer.scheme === 'pss'
        ? cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash] }, value)
        : cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, value);
  if (!ok) throw new SignetError('INTERNAL', "The token's signature does not verify with the selected certificate (the key and the certificate do not match)");
}
