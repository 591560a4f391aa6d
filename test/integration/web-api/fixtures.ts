/**
 * Fixtures for the web API's security tests: a small openssl-made PKI (signing, authentication
 * and dual-purpose certificates, RSA and P-256) and a software `WebApiServices` that signs with
 * those keys, so the HTTP gate, consent queue and routes are tested without a token. Signatures
 * it makes are real (RSA PKCS#1 v1.5 via the private key, ECDSA via `openssl pkeyutl`) and the
 * tests verify them with node:crypto / openssl. The token-backed path is covered by
 * core-services.test.ts against the SoftHSM2 rig.
 */
import { createHash, createPrivateKey, privateEncrypt, constants, X509Certificate } from 'node:crypto';
import { execFileSync, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECDSASigValue } from '@peculiar/asn1-ecc';
import { SignetError } from '../../../native/errors';
import type { HashAlg, TokenInfo } from '../../../native/types';
import type { CertificateView, CertPurpose } from '../../../electron/core/types';
import type { SignDigestRequest, SignDocumentFileRequest, WebApiServices } from '../../../electron/web-api/services';

const execFileP = promisify(execFile);

export interface FixtureKey {
  name: string;
  keyType: 'RSA' | 'EC';
  purposes: CertPurpose[];
  keyPath: string;
  certPath: string;
  certDer: Buffer;
  view: CertificateView;
}

export interface Pki {
  dir: string;
  caPath: string;
  caPem: string;
  keys: Record<string, FixtureKey>;
  cleanup(): void;
}

const TOKEN_URI = 'pkcs11:token=Fixture%20Token;serial=F1';

const EXT: Record<string, string> = {
  signing: 'keyUsage=critical,nonRepudiation\n',
  authentication: 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
  both: 'keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=clientAuth,emailProtection\n',
};

function sh(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** RFC 4514 string from node's one-RDN-per-line form (reversed order, commas). */
function rfc4514(lines: string): string {
  return lines.split('\n').reverse().join(', ');
}

export function makePki(): Pki {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-webapi-pki-'));
  sh(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/C=EE/O=Signet Fixture/CN=Fixture CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const specs: { name: string; keyType: 'RSA' | 'EC'; purpose: 'signing' | 'authentication' | 'both' }[] = [
    { name: 'sign-rsa', keyType: 'RSA', purpose: 'signing' },
    { name: 'sign-ec', keyType: 'EC', purpose: 'signing' },
    { name: 'auth-ec', keyType: 'EC', purpose: 'authentication' },
    { name: 'auth-rsa', keyType: 'RSA', purpose: 'authentication' },
    { name: 'both-rsa', keyType: 'RSA', purpose: 'both' },
  ];
  const keys: Record<string, FixtureKey> = {};
  specs.forEach((s, i) => {
    const keyArgs = s.keyType === 'RSA' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    sh(['req', '-new', ...keyArgs, '-nodes', '-keyout', `${s.name}.key`, '-out', `${s.name}.csr`, '-subj', `/C=EE/O=Signet Fixture/CN=${s.name}`], dir);
    writeFileSync(path.join(dir, `${s.name}.ext`), `basicConstraints=CA:FALSE\n${EXT[s.purpose]}`);
    sh(['x509', '-req', '-in', `${s.name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(100 + i), '-days', '20', '-extfile', `${s.name}.ext`, '-out', `${s.name}.pem`], dir);
    const pem = readFileSync(path.join(dir, `${s.name}.pem`), 'utf8');
    const x = new X509Certificate(pem);
    const der = x.raw;
    const purposes: CertPurpose[] = s.purpose === 'both' ? ['signing', 'authentication'] : [s.purpose];
    const id = (i + 1).toString(16).padStart(2, '0');
    const view: CertificateView = {
      uri: `${TOKEN_URI};id=%${id};type=cert`,
      keyUri: `${TOKEN_URI};id=%${id};type=private`,
      token: TOKEN_URI,
      label: s.name,
      id,
      subject: rfc4514(x.subject),
      issuer: rfc4514(x.issuer),
      serialNumber: x.serialNumber,
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      keyType: s.keyType,
      ...(s.keyType === 'RSA' ? { keySize: 2048 } : { curve: 'P-256' }),
      purposes,
      alwaysAuthenticate: false,
      fingerprintSha256: createHash('sha256').update(der).digest('hex'),
      certificate: der.toString('base64'),
      displayName: s.name,
      issuerDisplayName: 'Fixture CA',
      validity: 'valid',
      daysLeft: 20,
      hasPrivateKey: true,
    };
    keys[s.name] = { name: s.name, keyType: s.keyType, purposes, keyPath: path.join(dir, `${s.name}.key`), certPath: path.join(dir, `${s.name}.pem`), certDer: der, view };
  });
  return {
    dir,
    caPath: path.join(dir, 'ca.pem'),
    caPem: readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    keys,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** DigestInfo prefixes (RFC 8017 §9.2 note 1). */
const DIGEST_INFO: Record<HashAlg, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

export interface SignCall {
  certUri: string;
  digestHex: string;
  scheme: string;
}

/** Software services over a fixture PKI; records every signature made. */
export class SoftwareServices implements WebApiServices {
  appVersion = '0.1.0-test';
  readonly calls: SignCall[] = [];
  tokenInserted = true;
  /** Certificates currently "on the token" (tests remove some to simulate another card). */
  present: FixtureKey[];

  constructor(readonly pki: Pki, present?: string[]) {
    this.present = (present ?? Object.keys(pki.keys)).map((n) => pki.keys[n] as FixtureKey);
  }

  async tokens(): Promise<TokenInfo[]> {
    if (!this.tokenInserted) return [];
    return [
      {
        uri: TOKEN_URI,
        module: '/fixture.so',
        slotId: '0',
        label: 'Fixture Token',
        manufacturer: 'Signet',
        model: 'software',
        serial: 'F1',
        flags: { loginRequired: true, protectedAuthPath: false, pinCountLow: false, pinFinalTry: false, pinLocked: false, pinToBeChanged: false, tokenInitialized: true },
        minPinLength: 4,
        maxPinLength: 8,
        mechanisms: ['CKM_RSA_PKCS', 'CKM_ECDSA'],
      },
    ];
  }

  async certificates(): Promise<CertificateView[]> {
    return this.tokenInserted ? this.present.map((k) => k.view) : [];
  }

  private keyOf(uri: string): FixtureKey {
    const k = this.present.find((p) => p.view.uri === uri);
    if (k === undefined) throw new SignetError('KEY_NOT_FOUND', 'no such key');
    return k;
  }

  async signDigest(req: SignDigestRequest): Promise<Uint8Array> {
    const key = this.keyOf(req.certificate.uri);
    this.calls.push({ certUri: req.certificate.uri, digestHex: Buffer.from(req.digest).toString('hex'), scheme: JSON.stringify(req.scheme) });
    const digest = Buffer.from(req.digest);
    switch (req.scheme.kind) {
      case 'pkcs1': {
        const prefix = Buffer.from(DIGEST_INFO[req.scheme.hash], 'hex');
        return privateEncrypt({ key: createPrivateKey(readFileSync(key.keyPath)), padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([prefix, digest]));
      }
      case 'ecdsa': {
        const f = path.join(this.pki.dir, `digest-${process.hrtime.bigint()}-${Math.random().toString(36).slice(2)}.bin`);
        writeFileSync(f, digest);
        const { stdout } = await execFileP('openssl', ['pkeyutl', '-sign', '-inkey', key.keyPath, '-in', f], { encoding: 'buffer' });
        rmSync(f);
        if (req.scheme.format === 'der') return stdout;
        const sig = AsnConvert.parse(stdout, ECDSASigValue);
        const fix = (n: ArrayBuffer): Buffer => {
          let b = Buffer.from(n);
          while (b.length > 32 && b[0] === 0) b = b.subarray(1);
          return Buffer.concat([Buffer.alloc(32 - b.length), b]);
        };
        return Buffer.concat([fix(sig.r), fix(sig.s)]);
      }
      case 'pss':
        throw new SignetError('MECHANISM_UNSUPPORTED', 'software fixture: no PSS');
    }
  }

  async signDocument(req: SignDocumentFileRequest): Promise<{ name: string }> {
    const key = this.keyOf(req.certificate.uri);
    const content = readFileSync(req.path);
    if (createHash('sha256').update(content).digest('hex') !== req.sha256) throw new SignetError('INVALID_INPUT', 'the spooled document changed');
    this.calls.push({ certUri: req.certificate.uri, digestHex: req.sha256, scheme: req.format });
    if (req.format !== 'cades') throw new SignetError('INTERNAL', 'software fixture signs CAdES only');
    await execFileP('openssl', ['cms', '-sign', '-binary', '-outform', 'DER', '-signer', key.certPath, '-inkey', key.keyPath, '-in', req.path, '-md', 'sha256', '-out', req.outputPath]);
    return { name: `${req.name}.p7s` };
  }
}
