/**
 * Certificate choice for web requests: by purpose (design "Purposes": document signatures need
 * `signing`, auth tokens need `authentication`; never crossed), by usability (private key, not
 * expired / not yet valid), by the site's acceptable issuers, and lookup of the certificate a
 * page sends back.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { SignetError } from '../../native/errors';
import type { HashAlg, TokenInfo } from '../../native/types';
import { loginCapable } from '../core/pki/purposes';
import { summarizeCertificate } from '../core/pki/summary';
import { toCertificateView } from '../core/pki/view';
import type { CertificateView, CertPurpose } from '../core/types';
import type { SignatureAlgorithm, WebHashAlgorithm } from './protocol';

export const WEB_HASH: Record<WebHashAlgorithm, { alg: HashAlg; length: number }> = {
  'SHA-256': { alg: 'sha256', length: 32 },
  'SHA-384': { alg: 'sha384', length: 48 },
  'SHA-512': { alg: 'sha512', length: 64 },
};

const PURPOSE_NAME: Record<CertPurpose, string> = { signing: 'signing', authentication: 'authentication (log-in)' };

export function usable(c: CertificateView): boolean {
  return c.hasPrivateKey && c.keyUri !== undefined && c.validity !== 'expired' && c.validity !== 'not-yet-valid';
}

/** Certificates a request may offer the user: right purpose, usable, accepted issuer. */
export function candidatesFor(all: readonly CertificateView[], purpose: CertPurpose, acceptableIssuers?: readonly string[]): CertificateView[] {
  const issuers = acceptableIssuers?.map(normalizeDn);
  return all.filter((c) => c.purposes.includes(purpose) && usable(c) && (issuers === undefined || issuers.length === 0 || issuers.includes(normalizeDn(c.issuer))));
}

/**
 * A certificate as a page sent it (DER), for the consent dialog: what it says about itself, with
 * no token, key or card lookup (those happen only after the user approved).
 */
export function pageCertificateView(der: Uint8Array): CertificateView {
  const summary = summarizeCertificate({ uri: '', token: '', label: '', id: '', keyConfirmed: false, alwaysAuthenticate: false, certificate: der });
  return toCertificateView({ ...summary, label: '' });
}

/** The certificate a page sent back (DER, base64), on an inserted token. */
export function findByDer(all: readonly CertificateView[], der: Uint8Array): CertificateView | undefined {
  const fp = createHash('sha256').update(der).digest('hex');
  return all.find((c) => c.fingerprintSha256.toLowerCase() === fp);
}

/** The certificate's public key (SubjectPublicKeyInfo, DER, hex), or undefined when unreadable. */
function spkiOf(c: CertificateView): string | undefined {
  try {
    return new X509Certificate(Buffer.from(c.certificate, 'base64')).publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
  } catch {
    return undefined;
  }
}

/**
 * Every purpose of the certificate's **key** (design "Purposes"; issue 8 §4): the union of the
 * purposes of all certificates bound to it — on the same token with the same CKA_ID, or anywhere
 * with the same public key. A key one of whose certificates can log in is a login key, whatever
 * certificate a page names: a raw signature from it over a page-chosen digest could be a Web eID
 * token or a TLS CertificateVerify for another site.
 */
export function keyPurposes(cert: CertificateView, all: readonly CertificateView[]): CertPurpose[] {
  const spki = spkiOf(cert);
  const bound = all.filter((c) => (c.token === cert.token && c.id === cert.id) || (spki !== undefined && spkiOf(c) === spki));
  return [...new Set([...cert.purposes, ...bound.flatMap((c) => c.purposes)])];
}

/**
 * Whether a signature by this certificate's key could serve as a login anywhere: a certificate
 * bound to the key (see keyPurposes) authenticates by Signet's rules, or would be accepted for a
 * login by relying parties that ignore nonRepudiation (purposes.ts loginCapable).
 */
export function keyCanLogIn(cert: CertificateView, all: readonly CertificateView[]): boolean {
  if (keyPurposes(cert, all).includes('authentication')) return true;
  const spki = spkiOf(cert);
  const bound = [cert, ...all.filter((c) => (c.token === cert.token && c.id === cert.id) || (spki !== undefined && spkiOf(c) === spki))];
  return bound.some((c) => derCanLogIn(Buffer.from(c.certificate, 'base64')));
}

/** loginCapable for a certificate's DER; unreadable counts as "could" (refuse, never guess). */
export function derCanLogIn(der: Uint8Array): boolean {
  try {
    return loginCapable(der);
  } catch {
    return true;
  }
}

/** Refuse a certificate used for the other purpose, or one that cannot sign now. */
export function requirePurpose(c: CertificateView, purpose: CertPurpose): void {
  if (!c.purposes.includes(purpose)) {
    throw new SignetError(
      'KEY_PURPOSE_MISMATCH',
      `This certificate is not for ${PURPOSE_NAME[purpose]}; it is for ${c.purposes.map((p) => PURPOSE_NAME[p]).join(' and ') || 'neither use'}.`,
    );
  }
  if (c.validity === 'expired') throw new SignetError('CERT_EXPIRED', `The certificate expired on ${c.notAfter}.`);
  if (c.validity === 'not-yet-valid') throw new SignetError('CERT_NOT_YET_VALID', `The certificate is valid only from ${c.notBefore}.`);
  if (!c.hasPrivateKey || c.keyUri === undefined) throw new SignetError('KEY_NOT_FOUND', 'The token has no private key for this certificate.');
}

/** What the token's mechanism list allows with this key (PKCS#11 v2.40 mechanism names). */
export function supportedAlgorithms(c: CertificateView, tokens: readonly TokenInfo[]): SignatureAlgorithm[] {
  const mechs = new Set(tokens.find((t) => t.uri === c.token)?.mechanisms ?? []);
  const hashes = Object.keys(WEB_HASH) as WebHashAlgorithm[];
  if (c.keyType === 'EC') {
    return mechs.has('CKM_ECDSA') ? hashes.map((h) => ({ cryptoAlgorithm: 'ECC', hashFunction: h, paddingScheme: 'NONE' })) : [];
  }
  const out: SignatureAlgorithm[] = [];
  if (mechs.has('CKM_RSA_PKCS')) out.push(...hashes.map((h): SignatureAlgorithm => ({ cryptoAlgorithm: 'RSA', hashFunction: h, paddingScheme: 'PKCS1.5' })));
  if (mechs.has('CKM_RSA_PKCS_PSS')) out.push(...hashes.map((h): SignatureAlgorithm => ({ cryptoAlgorithm: 'RSA', hashFunction: h, paddingScheme: 'PSS' })));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Distinguished names, compared the way RFC 5280 §7.1 suggests for the common case: attribute
// types by OID (short names mapped), values case-folded with whitespace collapsed, RDN order
// ignored (RFC 4514 strings list the RDNs in reverse of the DER order, and people write both).

const SHORT_NAMES: Record<string, string> = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  S: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  T: '2.5.4.12',
  TITLE: '2.5.4.12',
  GN: '2.5.4.42',
  GIVENNAME: '2.5.4.42',
  ORGANIZATIONIDENTIFIER: '2.5.4.97',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
  E: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
};

/** Splits at separators not escaped with a backslash (RFC 4514 §2.4). */
function splitUnescaped(s: string, seps: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + (s[i + 1] as string);
      i++;
    } else if (seps.includes(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function unescapeValue(v: string): string {
  return v.replace(/\\([0-9a-fA-F]{2}|.)/g, (_m, x: string) => (x.length === 2 ? String.fromCharCode(parseInt(x, 16)) : x));
}

/** A canonical string for a DN given as RFC 4514 (commas) or one-RDN-per-line (node/openssl). */
export function normalizeDn(dn: string): string {
  const parts = splitUnescaped(dn.trim(), dn.includes('\n') ? '\n+' : ',+')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq < 0) return p.toLowerCase();
      const type = p.slice(0, eq).trim().toUpperCase();
      const oid = SHORT_NAMES[type] ?? type.replace(/^OID\./, '');
      const value = unescapeValue(p.slice(eq + 1).trim()).replace(/\s+/g, ' ').toLowerCase();
      return `${oid}=${value}`;
    });
  return parts.sort().join(',');
}
