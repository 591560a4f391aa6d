// Personalise a token of any module through PKCS#11 (token-worker.mjs): init the token, make the
// key pairs on it, issue a certificate for each public key from the rig's test CA, store them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CaStore } from '../ca';
import { certFields } from '../cert-fields';
import { run } from '../exec';
import type { RigCurve } from '../types';
import type { ModuleKeySpec, ModuleRigKey } from './types';

const WORKER = path.join(__dirname, 'token-worker.mjs');

/** DER of the namedCurve OID (CKA_EC_PARAMS, RFC 5480 §2.1.1.1). */
const EC_PARAMS: Record<RigCurve, string> = {
  'P-256': '06082a8648ce3d030107',
  'P-384': '06052b81040022',
  'P-521': '06052b81040023',
};

export interface PersonaliseOptions {
  module: string;
  env: Record<string, string>;
  wrap: string[];
  label: string;
  pin: string;
  soPin: string;
  /** The SO PIN a fresh token of this module has (openCryptoki: 87654321); default soPin. */
  initSoPin?: string;
  keys: ModuleKeySpec[];
  caStore: CaStore;
  dir: string;
}

async function worker(o: PersonaliseOptions, request: object): Promise<unknown> {
  const [cmd, ...prefix] = [...o.wrap, process.execPath];
  const { stdout } = await run(cmd!, [...prefix, WORKER], { env: o.env, input: JSON.stringify({ module: o.module, ...request }) });
  return JSON.parse(stdout.toString('utf8'));
}

const b64u = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');

/** SubjectPublicKeyInfo PEM from the public-key attributes the token gave. */
function publicKeyPem(spec: ModuleKeySpec, k: { modulusHex?: string; publicExponentHex?: string; ecPointHex?: string }): string {
  let jwk: crypto.JsonWebKey;
  if (spec.keyType === 'RSA') {
    jwk = { kty: 'RSA', n: b64u(k.modulusHex!), e: b64u(k.publicExponentHex!) };
  } else {
    // CKA_EC_POINT: DER OCTET STRING around 04 || x || y (PKCS#11 v2.40 §2.3.3); some modules give it bare.
    let point = Buffer.from(k.ecPointHex!, 'hex');
    if (point[0] === 0x04 && point.length > 2) {
      const long = point[1]! & 0x80 ? point[1]! & 0x7f : 0;
      const len = long ? point.subarray(2, 2 + long).reduce((a, b) => a * 256 + b, 0) : point[1]!;
      if (2 + long + len === point.length) point = point.subarray(2 + long);
    }
    const n = (point.length - 1) / 2;
    jwk = { kty: 'EC', crv: spec.curve ?? 'P-256', x: point.subarray(1, 1 + n).toString('base64url'), y: point.subarray(1 + n).toString('base64url') };
  }
  return crypto.createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

export async function personaliseViaPkcs11(o: PersonaliseOptions): Promise<{ serial: string; keys: ModuleRigKey[] }> {
  const specs = o.keys.map((k, i) => ({ spec: k, idHex: (i + 1).toString(16).padStart(2, '0') }));
  const made = (await worker(o, {
    step: 'keys',
    label: o.label,
    pin: o.pin,
    soPin: o.soPin,
    ...(o.initSoPin ? { initSoPin: o.initSoPin } : {}),
    keys: specs.map(({ spec, idHex }) => ({ idHex, label: spec.name, keyType: spec.keyType, bits: spec.bits, ...(spec.keyType === 'EC' ? { ecParamsHex: EC_PARAMS[spec.curve ?? 'P-256'] } : {}) })),
  })) as { serial: string; keys: { idHex: string; modulusHex?: string; publicExponentHex?: string; ecPointHex?: string }[] };

  const certsDir = path.join(o.dir, 'certs');
  fs.mkdirSync(certsDir, { recursive: true });
  const keys: ModuleRigKey[] = [];
  for (const { spec, idHex } of specs) {
    const pub = publicKeyPem(spec, made.keys.find((k) => k.idHex === idHex)!);
    const issued = await o.caStore.issueForPublicKey({
      ca: 'root',
      profile: spec.purpose,
      publicKeyPem: pub,
      subject: `/C=EE/O=Signet Test/OU=${o.label}/CN=Signet Test ${spec.name}`,
      outPath: path.join(certsDir, `${spec.name}.pem`),
    });
    keys.push({ ...spec, idHex, label: spec.name, certPem: issued.certPem, certDer: issued.certDer, certPath: issued.certPath, publicKeyPem: pub });
  }
  await worker(o, {
    step: 'certs',
    label: o.label,
    pin: o.pin,
    certs: keys.map((k) => {
      const f = certFields(k.certDer);
      return { idHex: k.idHex, label: k.label, derHex: k.certDer.toString('hex'), subjectHex: f.subjectDer.toString('hex'), issuerHex: f.issuerDer.toString('hex'), serialHex: f.serialDer.toString('hex') };
    }),
  });
  return { serial: made.serial, keys };
}
