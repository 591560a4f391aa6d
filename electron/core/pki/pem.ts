/** PEM (RFC 7468) ↔ DER for certificates. */
import { SignetError } from '../../../native/errors';

const CERT_RE = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/** Every certificate in a PEM text (bundles hold many). */
export function pemCertificates(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(CERT_RE)) out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
  return out;
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** A certificate file as PEM (one or more) or a single DER certificate. */
export function certificatesFromFile(bytes: Uint8Array, name: string): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN')) {
    const certs = pemCertificates(text);
    if (certs.length === 0) throw new SignetError('INVALID_INPUT', `${name} contains no PEM certificate`);
    return certs;
  }
  if (bytes[0] === 0x30) return [bytes];
  throw new SignetError('INVALID_INPUT', `${name} is neither a PEM nor a DER certificate`);
}
