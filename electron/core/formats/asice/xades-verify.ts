/**
 * Checking the XAdES signatures of one META-INF/*signatures*.xml against the container's data
 * files (XML-DSig core validation, W3C xmldsig-core §3.2, and the XAdES properties EN 319 132-1
 * §5.2–5.4 defines), with xadesjs/xmldsigjs doing the canonicalisation, the SignedProperties
 * reference and the SignatureValue check:
 *
 * - each ds:Reference: a data file by relative URI (digest of its bytes — a transform on a data
 *   file reference is refused, as ASiC-E has none), the SignedProperties by Id (the library's
 *   dereferencing and transforms), anything else is reported as not checked (an error);
 * - ds:SignatureValue over the canonical ds:SignedInfo, with the key of the signing certificate;
 * - the signing certificate: the KeyInfo / CertificateValues certificate whose digest the
 *   SigningCertificateV2 (or SigningCertificate) CertDigest holds;
 * - the data each SignatureTimeStamp covers (the ds:SignatureValue canonicalised by the method the
 *   time-stamp names), for the caller to check the tokens (formats/tsp).
 *
 * The DOM is read with @xmldom/xmldom; nothing is fetched (no remote URI is ever dereferenced).
 */
import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import * as XAdES from 'xadesjs';
import { CryptoConfig, XmlDsigC14NTransform, type Reference } from 'xmldsigjs';
import type { HashAlg } from '../../../../native/types';
import { exclusiveC14n } from './c14n';
import { DS_NS, EXC_C14N, SIGNED_PROPERTIES_TYPE, XADES_NS } from './names';
import { ensureXmlRuntime } from './xml-runtime';

const DIGEST_BY_URI: Record<string, HashAlg | 'sha1'> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};
const INCLUSIVE_C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';

export interface ReferenceCheck {
  uri: string;
  kind: 'file' | 'signed-properties' | 'other';
  /** The data file's name in the container (URI decoded), for kind 'file'. */
  file?: string;
  ok: boolean;
  problem?: string;
}

export interface XadesCheck {
  /** The ds:Signature's Id. */
  id: string;
  references: ReferenceCheck[];
  /** The SignatureValue verifies over the canonical SignedInfo with the signing certificate's key. */
  signatureValueValid: boolean;
  signerCertificate?: Uint8Array;
  /** KeyInfo and CertificateValues certificates, DER. */
  certificates: Uint8Array[];
  signingTime?: string;
  /** SignedProperties has SigningCertificateV2 (baseline) rather than only SigningCertificate. */
  signingCertificateV2: boolean;
  /** SignatureTimeStamp tokens with the bytes their imprint must cover. */
  timestamps: { token: Uint8Array; data: Uint8Array }[];
  /** B-LT material (EN 319 132-1 §5.4). */
  certificateValues: Uint8Array[];
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
  archiveTimestamps: number;
  errors: string[];
}

class CheckingSignedXml extends XAdES.SignedXml {
  digestOf(ref: Reference): Promise<Uint8Array> {
    return this.DigestReference((this.document as unknown as Document).documentElement as never, ref, false);
  }
  signatureValueMatches(key: webcrypto.CryptoKey): Promise<boolean> {
    return this.ValidateSignatureValue([key as never]);
  }
}

export function parseSignatureDocument(xml: Buffer, name: string): { doc: Document; signatures: Element[] } | { error: string } {
  let doc: Document;
  try {
    doc = new DOMParser({ onError: (level, msg) => { if (level !== 'warning') throw new Error(msg); } }).parseFromString(xml.toString('utf8'), 'text/xml');
  } catch (e) {
    return { error: `${name} is not well-formed XML (${(e as Error).message})` };
  }
  const sigs = doc.getElementsByTagNameNS(DS_NS, 'Signature');
  const signatures: Element[] = [];
  for (let i = 0; i < sigs.length; i++) signatures.push(sigs.item(i)!);
  if (signatures.length === 0) return { error: `${name} holds no ds:Signature` };
  return { doc, signatures };
}

export async function checkXadesSignature(doc: Document, sigEl: Element, files: ReadonlyMap<string, Buffer>): Promise<XadesCheck> {
  ensureXmlRuntime();
  const errors: string[] = [];
  const check: XadesCheck = {
    id: sigEl.getAttribute('Id') ?? '',
    references: [],
    signatureValueValid: false,
    certificates: [],
    signingCertificateV2: false,
    timestamps: [],
    certificateValues: [],
    ocspResponses: [],
    crls: [],
    archiveTimestamps: 0,
    errors,
  };
  const sx = new CheckingSignedXml(doc as never);
  try {
    sx.LoadXml(sigEl as never);
  } catch (e) {
    errors.push(`The signature cannot be read (${(e as Error).message})`);
    return check;
  }

  // Certificates: KeyInfo, then the B-LT CertificateValues.
  for (const el of descendants(sigEl, DS_NS, 'X509Certificate')) check.certificates.push(base64Of(el));
  const qp = descendants(sigEl, XADES_NS, 'QualifyingProperties')[0];
  if (!qp) errors.push('No xades:QualifyingProperties: not a XAdES signature');
  const usp = qp ? descendants(qp, XADES_NS, 'UnsignedSignatureProperties')[0] : undefined;
  if (usp) {
    for (const el of descendants(usp, XADES_NS, 'EncapsulatedX509Certificate')) check.certificateValues.push(base64Of(el));
    for (const el of descendants(usp, XADES_NS, 'EncapsulatedOCSPValue')) check.ocspResponses.push(base64Of(el));
    for (const el of descendants(usp, XADES_NS, 'EncapsulatedCRLValue')) check.crls.push(base64Of(el));
    check.archiveTimestamps = descendants(usp, XADES_NS, 'ArchiveTimeStamp').length;
  }
  const allCerts = [...check.certificates, ...check.certificateValues];

  // References (xmldsig-core §3.2.1).
  const spId = qp ? descendants(qp, XADES_NS, 'SignedProperties')[0]?.getAttribute('Id') : undefined;
  let signedPropertiesCovered = false;
  for (const ref of sx.XmlSignature.SignedInfo.References.GetIterator()) {
    const uri = ref.Uri ?? '';
    if (uri.startsWith('#')) {
      const isSp = ref.Type === SIGNED_PROPERTIES_TYPE || ref.Type === 'http://uri.etsi.org/01903/v1.3.2#SignedProperties' || uri === `#${spId}`;
      if (!isSp) {
        check.references.push({ uri, kind: 'other', ok: false, problem: 'a same-document reference to something other than the SignedProperties is not checked' });
        continue;
      }
      try {
        const d = await sx.digestOf(ref);
        const ok = Buffer.from(d).equals(Buffer.from(ref.DigestValue));
        check.references.push({ uri, kind: 'signed-properties', ok, ...(ok ? {} : { problem: 'the signed properties were changed' }) });
        if (ok && uri === `#${spId}`) signedPropertiesCovered = true;
      } catch (e) {
        check.references.push({ uri, kind: 'signed-properties', ok: false, problem: (e as Error).message });
      }
      continue;
    }
    let name: string;
    try {
      name = decodeURIComponent(uri);
    } catch {
      check.references.push({ uri, kind: 'other', ok: false, problem: 'the URI is not valid' });
      continue;
    }
    if (uri === '' || /^[a-z][a-z0-9+.-]*:/i.test(uri) || name.startsWith('/') || name.split('/').includes('..')) {
      check.references.push({ uri, kind: 'other', ok: false, problem: 'not a reference to a file in the container' });
      continue;
    }
    const data = files.get(name);
    if (!data) {
      check.references.push({ uri, kind: 'file', file: name, ok: false, problem: `${name} is not in the container` });
      continue;
    }
    if (ref.Transforms && ref.Transforms.Count > 0) {
      check.references.push({ uri, kind: 'file', file: name, ok: false, problem: 'a transform on a data file reference is not supported' });
      continue;
    }
    const alg = DIGEST_BY_URI[ref.DigestMethod.Algorithm ?? ''];
    if (!alg) {
      check.references.push({ uri, kind: 'file', file: name, ok: false, problem: `unsupported digest ${ref.DigestMethod.Algorithm}` });
      continue;
    }
    const ok = createHash(alg).update(data).digest().equals(Buffer.from(ref.DigestValue));
    check.references.push({ uri, kind: 'file', file: name, ok, ...(ok ? {} : { problem: `${name} was changed after it was signed` }) });
  }
  if (qp && !signedPropertiesCovered) errors.push('The SignedProperties are not covered by a valid reference');
  for (const r of check.references) if (!r.ok) errors.push(`Reference ${r.uri}: ${r.problem}`);

  // The signing certificate (EN 319 132-1 §5.2.2): the CertDigest binds one of the certificates.
  const ssp = qp ? descendants(qp, XADES_NS, 'SignedSignatureProperties')[0] : undefined;
  const sc2 = ssp ? descendants(ssp, XADES_NS, 'SigningCertificateV2')[0] : undefined;
  const sc1 = ssp ? descendants(ssp, XADES_NS, 'SigningCertificate')[0] : undefined;
  check.signingCertificateV2 = Boolean(sc2);
  const bound = sc2 ?? sc1;
  if (!bound) errors.push('No SigningCertificateV2: the signing certificate is not bound to the signature');
  else {
    const cert = descendants(bound, XADES_NS, 'Cert')[0];
    const method = cert ? descendants(cert, DS_NS, 'DigestMethod')[0]?.getAttribute('Algorithm') : undefined;
    const value = cert ? descendants(cert, DS_NS, 'DigestValue')[0] : undefined;
    const alg = DIGEST_BY_URI[method ?? ''];
    if (!alg || !value) errors.push('The SigningCertificateV2 digest cannot be read');
    else {
      const want = base64Of(value);
      const found = allCerts.find((c) => createHash(alg).update(c).digest().equals(Buffer.from(want)));
      if (found) check.signerCertificate = found;
      else errors.push('The certificate named by SigningCertificateV2 is not in the signature');
    }
  }
  const st = ssp ? descendants(ssp, XADES_NS, 'SigningTime')[0]?.textContent?.trim() : undefined;
  if (st) {
    const d = new Date(st);
    if (Number.isNaN(d.getTime())) errors.push(`SigningTime "${st}" is not a date`);
    else check.signingTime = d.toISOString();
  }

  // SignatureValue over the canonical SignedInfo, with the signing certificate's key.
  if (check.signerCertificate) {
    try {
      const key = await verificationKey(check.signerCertificate, sx);
      check.signatureValueValid = await sx.signatureValueMatches(key);
      if (!check.signatureValueValid) errors.push('The signature value does not verify with the signing certificate');
    } catch (e) {
      errors.push(`The signature value cannot be checked (${(e as Error).message})`);
    }
  }

  // SignatureTimeStamp (EN 319 132-1 §5.3): over ds:SignatureValue, canonicalised as it says.
  const sv = descendants(sigEl, DS_NS, 'SignatureValue')[0];
  for (const ts of usp ? children(usp, XADES_NS, 'SignatureTimeStamp') : []) {
    const method = children(ts, DS_NS, 'CanonicalizationMethod')[0]?.getAttribute('Algorithm') ?? INCLUSIVE_C14N;
    const token = children(ts, XADES_NS, 'EncapsulatedTimeStamp')[0];
    if (!token || !sv) {
      errors.push('A SignatureTimeStamp without EncapsulatedTimeStamp');
      continue;
    }
    let data: Buffer;
    if (method === EXC_C14N) data = exclusiveC14n(sv);
    else if (method === INCLUSIVE_C14N) {
      const t = new XmlDsigC14NTransform();
      t.LoadInnerXml(sv as never);
      data = Buffer.from(t.GetOutput() as string, 'utf8');
    } else {
      errors.push(`The time-stamp's canonicalisation ${method} is not supported`);
      continue;
    }
    check.timestamps.push({ token: base64Of(token), data });
  }
  return check;
}

async function verificationKey(certDer: Uint8Array, sx: CheckingSignedXml): Promise<webcrypto.CryptoKey> {
  const method = CryptoConfig.CreateSignatureAlgorithm(sx.XmlSignature.SignedInfo.SignatureMethod);
  const alg = method.algorithm as { name: string; hash?: unknown };
  const pub = new X509Certificate(certDer).publicKey;
  const spki = pub.export({ type: 'spki', format: 'der' });
  if (alg.name.toUpperCase() === 'ECDSA') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[pub.asymmetricKeyDetails?.namedCurve ?? ''];
    if (!curve) throw new Error('unsupported curve');
    return webcrypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: curve }, true, ['verify']);
  }
  return webcrypto.subtle.importKey('spki', spki, alg as webcrypto.RsaHashedImportParams, true, ['verify']);
}

function descendants(el: Element, ns: string, local: string): Element[] {
  const list = el.getElementsByTagNameNS(ns, local);
  const out: Element[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.item(i)!);
  return out;
}

function children(el: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local) out.push(n as Element);
  }
  return out;
}

function base64Of(el: Element): Uint8Array {
  return new Uint8Array(Buffer.from((el.textContent ?? '').replace(/\s+/g, ''), 'base64'));
}
