// The rig's public types: the interface in /work/team.md ("The test rig API"), plus additive
// fields (marked "extra") that tests found useful.

export type KeyPurpose = 'signing' | 'authentication' | 'both' | 'signing-ds';
export type RigCurve = 'P-256' | 'P-384' | 'P-521';
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'CACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold';

/** What a test asks for: one key pair (+ certificate) on a token. */
export interface RigKeySpec {
  /** Unique within the rig; rig.key(name) finds it. Also the default CKA_LABEL. */
  name: string;
  keyType: 'RSA' | 'EC';
  /** RSA modulus size, default 2048. */
  bits?: number;
  /** EC curve, default P-256. */
  curve?: RigCurve;
  /** Certificate profile (see ca.ts for the exact extensions); default 'signing'. */
  purpose?: KeyPurpose;
  /** CKA_ALWAYS_AUTHENTICATE on the private key: C_Login(CKU_CONTEXT_SPECIFIC) before each C_Sign. */
  alwaysAuthenticate?: boolean;
  /** Certificate whose notAfter is in the past (2 years ago .. 1 day ago). */
  expired?: boolean;
  /** extra: certificate whose notBefore is in the future (in 30 days .. 1 year). */
  notYetValid?: boolean;
  /** extra: explicit validity (overrides expired / notYetValid). */
  notBefore?: Date;
  notAfter?: Date;
  /** CKA_ID as hex; default: the key's 1-based position on its token, one byte ("01"). */
  idHex?: string;
  /** CKA_LABEL of all three objects; default: name. */
  label?: string;
  /** extra: subject as an openssl -subj string; default "/C=EE/O=Signet Test/CN=<name>". */
  subject?: string;
  /** extra: issue the certificate from the intermediate CA instead of the root. */
  issuer?: 'root' | 'intermediate';
  /** extra: import only the key pair, no certificate object (a key without a cert). */
  noCertificate?: boolean;
}

export interface RigTokenSpec {
  label: string;
  pin: string;
  /** Default "12345678". */
  soPin?: string;
  keys: RigKeySpec[];
}

export interface ProvisionOptions {
  /** Tokens to create; default: the standard set (standard.ts). */
  tokens?: RigTokenSpec[];
  /** OCSP URL put in every leaf's AIA extension (e.g. a deliberately unreachable one). */
  ocspUrl?: string;
  /** CRL distribution point URL put in every leaf. */
  crlUrl?: string;
  /**
   * extra: start an OCSP responder for this rig's CA (rig.ocsp) before the leaves are issued,
   * and put its URL in every leaf's AIA. Stopped by rig.cleanup().
   */
  ocsp?: boolean;
  /** extra: serve the CA's current CRL over HTTP (rig.crl) and put its URL in every leaf's CRL DP. */
  crl?: boolean;
  /** Names of keys whose certificates are revoked right after provisioning. */
  revoked?: string[];
}

/** A CA the rig made (root or intermediate), with openssl-readable files. */
export interface RigCa {
  certPem: string;
  certDer: Buffer;
  certPath: string;
  keyPath: string;
  /** extra: openssl -subj form of the subject. */
  subject: string;
}

export interface RigKey {
  name: string;
  keyType: 'RSA' | 'EC';
  bits?: number;
  curve?: RigCurve;
  idHex: string;
  label: string;
  /** PEM/DER/path of the certificate; empty strings / empty buffer when noCertificate. */
  certPem: string;
  certDer: Buffer;
  certPath: string;
  /** RFC 7512 URI of the private key (token, serial, id, type=private). */
  keyUri: string;
  /** RFC 7512 URI of the certificate (type=cert). */
  certUri: string;
  purpose: KeyPurpose;
  alwaysAuthenticate: boolean;
  expired: boolean;
  /** SubjectPublicKeyInfo PEM: what an independent verifier checks signatures with. */
  publicKeyPem: string;
  /** extra: label of the token holding the key. */
  token: string;
  /** extra: RFC 7512 URI of the public key object (type=public). */
  publicKeyUri: string;
  /** extra: the private key in PKCS#8 PEM (a copy outside the token, for tests only). */
  privateKeyPem: string;
  privateKeyPath: string;
  /** extra: certificate serial number, upper-case hex as openssl prints it. */
  serialHex: string;
  /** extra: the CA that issued the certificate (root or intermediate). */
  issuer: RigCa;
  /** extra: issuing chain without the root (intermediate PEM, or '' for root-issued). */
  chainPem: string;
}

export interface RigToken {
  label: string;
  /** CK_TOKEN_INFO.serialNumber as SoftHSM2 assigned it (16 hex digits). */
  serial: string;
  pin: string;
  soPin: string;
  /** RFC 7512 token URI (token, serial). */
  uri: string;
  keys: RigKey[];
}

/** A running local service (OCSP responder, CRL server, TSA). */
export interface RigService {
  url: string;
  caCertPath: string;
  stop(): Promise<void>;
}

export interface Rig {
  /** Temp dir holding everything; removed by cleanup(). */
  dir: string;
  softhsmConf: string;
  /** Environment for the token host / CLI child: { SOFTHSM2_CONF }. */
  env: Record<string, string>;
  /** Path of libsofthsm2.so. */
  module: string;
  ca: RigCa;
  /** extra: intermediate CA under ca (leaves use it when their spec says issuer: 'intermediate'). */
  intermediate: RigCa;
  tokens: RigToken[];
  token(label: string): RigToken;
  key(name: string): RigKey;
  addToken(spec: RigTokenSpec): Promise<RigToken>;
  removeToken(label: string): Promise<void>;
  /** Path of an NSS db trusting the test CA (for pdfsig -nssdir). Synchronous. */
  nssDb(dir?: string): string;
  /** extra: revoke a key's certificate in the CA database (OCSP and CRL answer "revoked"). */
  revoke(name: string, reason?: RevocationReason): Promise<void>;
  /** extra: a CA's current CRL (DER), freshly signed; default the root's. */
  crlDer(issuer?: 'root' | 'intermediate'): Promise<Buffer>;
  /** extra: present when provisioned with { ocsp: true }. */
  ocsp?: RigService;
  /** extra: present when provisioned with { crl: true }. */
  crl?: RigService;
  /** Stops the rig's services and removes dir. Does its work synchronously; safe to call twice. */
  cleanup(): Promise<void>;
}
