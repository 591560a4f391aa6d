// The throw-away test PKI, made with the openssl CLI: a root CA, an intermediate CA under it,
// and an `openssl ca` database per rig (index.txt) so revocation, OCSP and CRLs answer from the
// same source of truth.
//
// The CA keys and certificates are made once per test process, kept in memory and written into
// each rig; every rig has its own databases, so one test's revocations never leak into another's.
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { daysFromNow, opensslTime, type Validity } from './dates';
import { run, SerialQueue } from './exec';
import { makeTempDir, removeDir, writePrivate } from './tmp';
import type { KeyPurpose, RevocationReason, RigCa } from './types';

export type CaName = 'root' | 'intermediate';
const CA_NAMES: readonly CaName[] = ['root', 'intermediate'];

const SUBJECTS: Record<CaName, string> = {
  root: '/C=EE/O=Signet Test/CN=Signet Test Root CA',
  intermediate: '/C=EE/O=Signet Test/CN=Signet Test Intermediate CA',
};

/** Extension sections, one per certificate profile (RFC 5280 §4.2). */
const PROFILE_EXTENSIONS: Record<KeyPurpose | 'root' | 'intermediate' | 'tsa' | 'ocsp', string[]> = {
  root: ['basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign', 'subjectKeyIdentifier = hash'],
  intermediate: [
    'basicConstraints = critical,CA:TRUE,pathlen:0',
    'keyUsage = critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid:always',
  ],
  // Document signing: nonRepudiation only (like the qualified-signature certificate of an eID
  // card) and S/MIME's EKU, which `openssl cms -verify` and NSS (pdfsig) accept for signers.
  // No digitalSignature, so no classifier can take it for an authentication certificate.
  signing: ['keyUsage = critical,nonRepudiation', 'extendedKeyUsage = emailProtection'],
  // Authentication: TLS client auth / Web eID. No nonRepudiation.
  authentication: ['keyUsage = critical,digitalSignature', 'extendedKeyUsage = clientAuth'],
  both: ['keyUsage = critical,digitalSignature,nonRepudiation', 'extendedKeyUsage = clientAuth,emailProtection'],
  // digitalSignature + nonRepudiation and no EKU (issue 8): a signing certificate as many cards
  // carry it (PIV 9c without EKU); it must never authenticate.
  'signing-ds': ['keyUsage = critical,digitalSignature,nonRepudiation'],
  // RFC 3161 §2.3: the TSA certificate has exactly one EKU, timeStamping, marked critical.
  tsa: ['keyUsage = critical,digitalSignature', 'extendedKeyUsage = critical,timeStamping'],
  // RFC 6960 §4.2.2.2: a delegated OCSP signer carries id-kp-OCSPSigning.
  ocsp: ['keyUsage = critical,digitalSignature', 'extendedKeyUsage = critical,OCSPSigning', 'noCheck = ignored'],
};

const LEAF_COMMON = ['basicConstraints = critical,CA:FALSE', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid:always'];

export type Profile = keyof typeof PROFILE_EXTENSIONS;

export interface IssueRequest {
  ca: CaName;
  profile: Profile;
  /** PEM private key of the subject (the CSR is signed with it, as `openssl ca` checks). */
  keyPath: string;
  subject: string;
  validity: Validity;
  ocspUrl?: string;
  crlUrl?: string;
  /** Where the certificate PEM goes. */
  outPath: string;
}

export interface Issued {
  certPem: string;
  certDer: Buffer;
  certPath: string;
  /** Upper-case hex, as openssl prints and index.txt stores it. */
  serialHex: string;
}

function extensionSection(req: Pick<IssueRequest, 'profile' | 'ocspUrl' | 'crlUrl'>): string {
  const lines = [...(req.profile === 'root' || req.profile === 'intermediate' ? [] : LEAF_COMMON), ...PROFILE_EXTENSIONS[req.profile]];
  if (req.ocspUrl !== undefined) lines.push(`authorityInfoAccess = OCSP;URI:${req.ocspUrl}`);
  if (req.crlUrl !== undefined) lines.push(`crlDistributionPoints = URI:${req.crlUrl}`);
  return `[ ext ]\n${lines.join('\n')}\n`;
}

function caSection(name: CaName, dir: string): string {
  const d = path.join(dir, name);
  return `[ ${name} ]
database = ${d}/index.txt
new_certs_dir = ${d}/issued
serial = ${d}/serial
crlnumber = ${d}/crlnumber
certificate = ${dir}/${name}.pem
private_key = ${dir}/${name}.key
default_md = sha256
default_crl_days = 7
policy = policy_any
# Keep the requested DN as given (fields and order), several certs may share a subject.
preserve = yes
unique_subject = no
copy_extensions = none
email_in_dn = yes
`;
}

/**
 * An `openssl ca` setup in a directory: CA keys/certs as root.{key,pem} / intermediate.{key,pem}
 * plus one database per CA. All commands touching a database run one at a time.
 */
export class CaStore {
  private readonly queue = new SerialQueue();
  readonly configPath: string;
  private counter = 0;

  constructor(readonly dir: string) {
    this.configPath = path.join(dir, 'openssl-ca.cnf');
    const policy = `[ policy_any ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
emailAddress = optional
serialNumber = optional
givenName = optional
surname = optional
`;
    fs.writeFileSync(this.configPath, `[ ca ]\ndefault_ca = root\n\n${CA_NAMES.map((n) => caSection(n, dir)).join('\n')}\n${policy}`);
    for (const name of CA_NAMES) {
      const d = path.join(dir, name);
      fs.mkdirSync(path.join(d, 'issued'), { recursive: true });
      if (!fs.existsSync(path.join(d, 'index.txt'))) fs.writeFileSync(path.join(d, 'index.txt'), '');
      // index.txt.attr: several valid certificates may share a subject (the default is "yes").
      fs.writeFileSync(path.join(d, 'index.txt.attr'), 'unique_subject = no\n');
      if (!fs.existsSync(path.join(d, 'crlnumber'))) fs.writeFileSync(path.join(d, 'crlnumber'), '1000\n');
    }
  }

  indexPath(ca: CaName): string {
    return path.join(this.dir, ca, 'index.txt');
  }

  certPath(ca: CaName): string {
    return path.join(this.dir, `${ca}.pem`);
  }

  keyPath(ca: CaName): string {
    return path.join(this.dir, `${ca}.key`);
  }

  /** Issue a certificate with `openssl ca` (explicit dates, random serial, recorded in index.txt). */
  async issue(req: IssueRequest, opts: { selfSign?: boolean } = {}): Promise<Issued> {
    const n = ++this.counter;
    const work = path.join(this.dir, 'work');
    fs.mkdirSync(work, { recursive: true });
    const csr = path.join(work, `${n}.csr`);
    const extFile = path.join(work, `${n}.ext`);
    fs.writeFileSync(extFile, extensionSection(req));
    await run('openssl', ['req', '-new', '-utf8', '-key', req.keyPath, '-subj', req.subject, '-out', csr]);
    await this.queue.run(() =>
      run('openssl', [
        'ca', '-batch', '-notext', '-utf8', '-config', this.configPath, '-name', req.ca,
        '-rand_serial',
        '-startdate', opensslTime(req.validity.notBefore),
        '-enddate', opensslTime(req.validity.notAfter),
        '-extfile', extFile, '-extensions', 'ext',
        ...(opts.selfSign ? ['-selfsign', '-keyfile', req.keyPath] : []),
        '-in', csr, '-out', req.outPath,
      ]),
    );
    const certPem = fs.readFileSync(req.outPath, 'utf8');
    // Node's X509Certificate prints the serial as OpenSSL does (BN_bn2hex): upper-case hex.
    const serialHex = new X509Certificate(certPem).serialNumber;
    return { certPem, certDer: pemToDer(certPem), certPath: req.outPath, serialHex };
  }

  /**
   * extra: issue a leaf for a public key whose private key never leaves a token (generated on a
   * TPM, say), with `openssl x509 -new -force_pubkey`: valid from now for `days`, random serial,
   * the profile's extensions. Not recorded in index.txt (no OCSP / CRL for these).
   */
  async issueForPublicKey(req: { ca: CaName; profile: Profile; publicKeyPem: string; subject: string; days?: number; outPath: string }): Promise<Issued> {
    const n = ++this.counter;
    const work = path.join(this.dir, 'work');
    fs.mkdirSync(work, { recursive: true });
    const pub = path.join(work, `${n}.pub.pem`);
    const extFile = path.join(work, `${n}.ext`);
    fs.writeFileSync(pub, req.publicKeyPem);
    fs.writeFileSync(extFile, extensionSection(req));
    const serial = `0x${randomBytes(16).toString('hex').replace(/^[89a-f]/, '1')}`;
    await run('openssl', [
      'x509', '-new', '-utf8', '-subj', req.subject, '-force_pubkey', pub,
      '-CA', this.certPath(req.ca), '-CAkey', this.keyPath(req.ca),
      '-extfile', extFile, '-extensions', 'ext', '-days', String(req.days ?? 365), '-set_serial', serial, '-sha256',
      '-out', req.outPath,
    ]);
    const certPem = fs.readFileSync(req.outPath, 'utf8');
    return { certPem, certDer: pemToDer(certPem), certPath: req.outPath, serialHex: new X509Certificate(certPem).serialNumber };
  }

  /** Mark a certificate revoked in its CA's index.txt (`openssl ca -revoke`). */
  revoke(ca: CaName, certPath: string, reason: RevocationReason = 'keyCompromise'): Promise<unknown> {
    return this.queue.run(() =>
      run('openssl', ['ca', '-batch', '-config', this.configPath, '-name', ca, '-revoke', certPath, '-crl_reason', reason]),
    );
  }

  /** A freshly signed CRL of one CA, in DER. */
  async crlDer(ca: CaName): Promise<Buffer> {
    const out = path.join(this.dir, 'work', `crl-${ca}-${++this.counter}.pem`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await this.queue.run(() => run('openssl', ['ca', '-batch', '-config', this.configPath, '-name', ca, '-gencrl', '-out', out]));
    const { stdout } = await run('openssl', ['crl', '-in', out, '-outform', 'DER']);
    return stdout;
  }
}

export function pemToDer(pem: string): Buffer {
  const b64 = pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');
  return Buffer.from(b64, 'base64');
}

/** A fresh private key, PKCS#8 PEM, from `openssl genpkey`. */
export async function generateKeyPem(keyType: 'RSA' | 'EC', sizeOrCurve: number | string): Promise<string> {
  const args =
    keyType === 'RSA'
      ? ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${sizeOrCurve}`]
      : ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${sizeOrCurve}`];
  const { stdout } = await run('openssl', args);
  return stdout.toString('utf8');
}

/** The process-wide CA material, kept in memory (nothing on disk outlives a rig). */
interface CaMaterial {
  root: { keyPem: string; certPem: string };
  intermediate: { keyPem: string; certPem: string };
}

let material: Promise<CaMaterial> | undefined;

function caMaterial(): Promise<CaMaterial> {
  material ??= makeCaMaterial();
  // A failed bootstrap must not poison every later rig of the process.
  material.catch(() => (material = undefined));
  return material;
}

async function makeCaMaterial(): Promise<CaMaterial> {
  const dir = makeTempDir('ca-bootstrap');
  try {
    const store = new CaStore(dir);
    const [rootKey, intKey] = await Promise.all(CA_NAMES.map(() => generateKeyPem('RSA', 2048)));
    writePrivate(store.keyPath('root'), rootKey ?? '');
    writePrivate(store.keyPath('intermediate'), intKey ?? '');
    // Long validity on both sides of "now": an expired or not-yet-valid leaf is then wrong for
    // its own dates only, never because of its issuer.
    await store.issue(
      {
        ca: 'root', profile: 'root', keyPath: store.keyPath('root'), subject: SUBJECTS.root,
        validity: { notBefore: daysFromNow(-5 * 365), notAfter: daysFromNow(15 * 365) }, outPath: store.certPath('root'),
      },
      { selfSign: true },
    );
    await store.issue({
      ca: 'root', profile: 'intermediate', keyPath: store.keyPath('intermediate'), subject: SUBJECTS.intermediate,
      validity: { notBefore: daysFromNow(-4 * 365), notAfter: daysFromNow(12 * 365) }, outPath: store.certPath('intermediate'),
    });
    const read = (name: CaName) => ({ keyPem: fs.readFileSync(store.keyPath(name), 'utf8'), certPem: fs.readFileSync(store.certPath(name), 'utf8') });
    return { root: read('root'), intermediate: read('intermediate') };
  } finally {
    removeDir(dir);
  }
}

function caFiles(store: CaStore, name: CaName): RigCa {
  const certPem = fs.readFileSync(store.certPath(name), 'utf8');
  return { certPem, certDer: pemToDer(certPem), certPath: store.certPath(name), keyPath: store.keyPath(name), subject: SUBJECTS[name] };
}

/**
 * A CA store in `dir` (a rig's, or a service's) holding the process CA's keys and certificates,
 * with empty databases of its own, so its files stay valid, and private to it, for its lifetime.
 */
export async function caStoreIn(dir: string): Promise<{ store: CaStore; root: RigCa; intermediate: RigCa }> {
  const m = await caMaterial();
  fs.mkdirSync(dir, { recursive: true });
  for (const name of CA_NAMES) {
    fs.writeFileSync(path.join(dir, `${name}.pem`), m[name].certPem);
    writePrivate(path.join(dir, `${name}.key`), m[name].keyPem);
  }
  const store = new CaStore(dir);
  return { store, root: caFiles(store, 'root'), intermediate: caFiles(store, 'intermediate') };
}
