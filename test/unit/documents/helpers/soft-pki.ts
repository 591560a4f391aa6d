/**
 * A throw-away software PKI for unit tests of the formats, made with the openssl CLI (a tool we
 * did not write): a CA, leaf certificates with chosen key type and key usage, and a DocumentSigner
 * that signs digests with `openssl pkeyutl` (raw-digest signing, which node:crypto does not offer
 * for ECDSA/PSS). Integration tests use SoftHSM2 through the token host instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HashAlg } from '../../../../native/types';
import { keyProfile, maxSignatureLength, type DocumentSigner, type SignatureScheme } from '../../../../electron/core/document-signer';

export type SoftKeyType = 'rsa2048' | 'rsa3072' | 'p256' | 'p384';

export interface SoftCert {
  keyPath: string;
  certPath: string;
  certDer: Uint8Array;
  certPem: string;
}

export interface SoftPki {
  dir: string;
  ca: SoftCert;
  issue(name: string, opts?: IssueOptions): SoftCert;
  signer(cert: SoftCert, scheme?: SignatureScheme, extra?: Uint8Array[]): DocumentSigner;
  cleanup(): void;
}

export interface IssueOptions {
  key?: SoftKeyType;
  keyUsage?: string;
  extendedKeyUsage?: string;
  /** openssl -days (negative not allowed: use notBefore/notAfter). */
  days?: number;
  /** YYYYMMDDHHMMSSZ */
  notBefore?: string;
  notAfter?: string;
  issuer?: SoftCert;
  ca?: boolean;
  extraExt?: string[];
}

function openssl(args: string[], input?: Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function genKey(dir: string, name: string, type: SoftKeyType): string {
  const keyPath = path.join(dir, `${name}.key`);
  const args =
    type === 'p256' || type === 'p384'
      ? ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${type === 'p256' ? 'P-256' : 'P-384'}`, '-out', keyPath]
      : ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${type === 'rsa3072' ? 3072 : 2048}`, '-out', keyPath];
  openssl(args);
  return keyPath;
}

export function createSoftPki(): SoftPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-softpki-'));
  let serial = 1000;
  const caKey = genKey(dir, 'ca', 'p256');
  const caPath = path.join(dir, 'ca.pem');
  openssl(['req', '-new', '-x509', '-key', caKey, '-subj', '/CN=Signet Unit Test CA/O=Signet Tests', '-days', '3650', '-out', caPath,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash']);
  const ca: SoftCert = load(caKey, caPath);

  function load(keyPath: string, certPath: string): SoftCert {
    const certPem = readFileSync(certPath, 'utf8');
    const certDer = new Uint8Array(openssl(['x509', '-in', certPath, '-outform', 'DER']));
    return { keyPath, certPath, certDer, certPem };
  }

  function issue(name: string, o: IssueOptions = {}): SoftCert {
    const issuer = o.issuer ?? ca;
    const keyPath = genKey(dir, name, o.key ?? 'rsa2048');
    const csr = path.join(dir, `${name}.csr`);
    openssl(['req', '-new', '-utf8', '-key', keyPath, '-subj', `/CN=${name}/O=Signet Tests/C=EE`, '-out', csr]);
    const ext = path.join(dir, `${name}.ext`);
    const lines = [
      `basicConstraints=critical,CA:${o.ca ? 'TRUE' : 'FALSE'}`,
      `keyUsage=critical,${o.keyUsage ?? (o.ca ? 'keyCertSign,cRLSign' : 'nonRepudiation')}`,
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      ...(o.extendedKeyUsage ? [`extendedKeyUsage=${o.extendedKeyUsage}`] : []),
      ...(o.extraExt ?? []),
    ];
    writeFileSync(ext, lines.join('\n') + '\n');
    const certPath = path.join(dir, `${name}.pem`);
    // `openssl ca` (not `x509 -req`) because it can set past and future validity dates.
    const db = path.join(dir, `${name}.db`);
    writeFileSync(db, '');
    const conf = path.join(dir, `${name}.cnf`);
    writeFileSync(
      conf,
      ['[ca]', 'default_ca=d', '[d]', `database=${db}`, `serial=${path.join(dir, `${name}.srl`)}`, `new_certs_dir=${dir}`, 'default_md=sha256', 'policy=p', 'unique_subject=no', 'copy_extensions=none',
        '[p]', 'commonName=supplied', 'organizationName=optional', 'countryName=optional'].join('\n') + '\n',
    );
    const serialFile = path.join(dir, `${name}.srl`);
    writeFileSync(serialFile, (serial++).toString(16).padStart(4, '0') + '\n');
    const args = ['ca', '-batch', '-notext', '-config', conf, '-in', csr, '-cert', issuer.certPath, '-keyfile', issuer.keyPath, '-extfile', ext, '-out', certPath];
    if (o.notBefore || o.notAfter) args.push('-startdate', o.notBefore ?? '20200101000000Z', '-enddate', o.notAfter ?? '20991231000000Z');
    else args.push('-days', String(o.days ?? 365));
    openssl(args);
    return load(keyPath, certPath);
  }

  function signer(cert: SoftCert, scheme?: SignatureScheme, extra: Uint8Array[] = []): DocumentSigner {
    const profile = keyProfile(cert.certDer);
    const s: SignatureScheme = scheme ?? (profile.keyType === 'EC' ? 'ecdsa' : 'pkcs1');
    return {
      certificate: cert.certDer,
      extraCertificates: extra,
      scheme: s,
      maxSignatureLength: maxSignatureLength(profile),
      async sign(digest: Uint8Array, hash: HashAlg): Promise<Uint8Array> {
        const opts =
          s === 'ecdsa'
            ? []
            : s === 'pss'
              ? ['-pkeyopt', `digest:${hash}`, '-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'rsa_pss_saltlen:digest', '-pkeyopt', `rsa_mgf1_md:${hash}`]
              : ['-pkeyopt', `digest:${hash}`, '-pkeyopt', 'rsa_padding_mode:pkcs1'];
        return new Uint8Array(openssl(['pkeyutl', '-sign', '-inkey', cert.keyPath, ...opts], Buffer.from(digest)));
      },
    };
  }

  return { dir, ca, issue, signer, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function opensslAvailable(): boolean {
  try {
    openssl(['version']);
    return true;
  } catch {
    return false;
  }
}

export { openssl };
