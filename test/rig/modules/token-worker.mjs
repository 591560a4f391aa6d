// Token personalisation through PKCS#11 alone, for any conformant module (tpm2-pkcs11,
// openCryptoki, …): the way a user's own tooling would set a token up. Run as a child process
// (the module's environment and, for openCryptoki, its mount namespace are the child's), in two
// steps, because the certificates can only be issued once the token has made the key pairs:
//
//   {"step":"keys",  module, label, soPin, initSoPin?, pin, keys:[{idHex,label,keyType,bits?,ecParamsHex?}]}
//     → C_InitToken on the first uninitialised slot, C_InitPIN, C_GenerateKeyPair per key
//       (token objects; the private key sensitive, never extractable, CKA_SIGN)
//     → stdout {serial, keys:[{idHex, modulusHex?, publicExponentHex?, ecParamsHex?, ecPointHex?}]}
//   {"step":"certs", module, label, pin, certs:[{idHex,label,derHex,subjectHex,issuerHex,serialHex}]}
//     → C_CreateObject per X.509 certificate (CKA_ID shared with its key pair) → stdout {}
//
// Plain JavaScript for the same reason as softhsm-worker.mjs (no build step); input on stdin,
// PINs never in argv.
import { readFileSync } from 'node:fs';
import pkcs11js from 'pkcs11js';

const request = JSON.parse(readFileSync(0, 'utf8'));
const p = new pkcs11js.PKCS11();
p.load(request.module);
p.C_Initialize();

const hex = (s) => Buffer.from(s, 'hex');
// CK_TOKEN_INFO.label is 32 bytes padded with blanks (PKCS#11 v2.40 §3.2).
const padded = (label) => label + ' '.repeat(32 - Buffer.byteLength(label, 'utf8'));
const unpad = (s) => s.replace(/[ \0]+$/, '');

function slotWhere(pred) {
  for (const slot of p.C_GetSlotList(true)) if (pred(p.C_GetTokenInfo(slot))) return slot;
  return undefined;
}

/** A logged-in R/W session on the token `label`, for `fn`; then logout and close. */
function asUser(label, fn) {
  const slot = slotWhere((t) => unpad(t.label) === label);
  if (!slot) throw new Error(`no token "${label}"`);
  const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  try {
    p.C_Login(session, pkcs11js.CKU_USER, request.pin);
    try {
      return fn(session);
    } finally {
      p.C_Logout(session);
    }
  } finally {
    p.C_CloseSession(session);
  }
}

function generate(session, k) {
  const common = [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_ID, value: hex(k.idHex) },
    { type: pkcs11js.CKA_LABEL, value: k.label },
  ];
  const pub = [...common, { type: pkcs11js.CKA_VERIFY, value: true }];
  const priv = [
    ...common,
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_SIGN, value: true },
  ];
  let mech;
  if (k.keyType === 'RSA') {
    mech = { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN };
    pub.push({ type: pkcs11js.CKA_MODULUS_BITS, value: k.bits ?? 2048 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) });
  } else {
    mech = { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN };
    pub.push({ type: pkcs11js.CKA_EC_PARAMS, value: hex(k.ecParamsHex) });
  }
  const pair = p.C_GenerateKeyPair(session, mech, pub, priv);
  const types = k.keyType === 'RSA' ? [pkcs11js.CKA_MODULUS, pkcs11js.CKA_PUBLIC_EXPONENT] : [pkcs11js.CKA_EC_PARAMS, pkcs11js.CKA_EC_POINT];
  const attrs = p.C_GetAttributeValue(session, pair.publicKey, types.map((type) => ({ type })));
  const value = (t) => attrs.find((a) => a.type === t)?.value.toString('hex');
  return k.keyType === 'RSA'
    ? { idHex: k.idHex, modulusHex: value(pkcs11js.CKA_MODULUS), publicExponentHex: value(pkcs11js.CKA_PUBLIC_EXPONENT) }
    : { idHex: k.idHex, ecParamsHex: value(pkcs11js.CKA_EC_PARAMS), ecPointHex: value(pkcs11js.CKA_EC_POINT) };
}

function keysStep() {
  const slot = slotWhere((t) => (t.flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0);
  if (!slot) throw new Error('the module offers no uninitialised token');
  p.C_InitToken(slot, request.initSoPin ?? request.soPin, padded(request.label));
  const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  p.C_Login(session, pkcs11js.CKU_SO, request.soPin);
  p.C_InitPIN(session, request.pin);
  p.C_Logout(session);
  p.C_CloseSession(session);
  const out = [];
  for (const k of request.keys) {
    out.push(asUser(request.label, (s) => generate(s, k)));
    // A TPM without a resource manager (swtpm over TCP) has room for only a few loaded objects;
    // tpm2-pkcs11 keeps what it made loaded until C_Finalize.
    p.C_Finalize();
    p.C_Initialize();
  }
  const info = p.C_GetTokenInfo(slotWhere((t) => unpad(t.label) === request.label));
  return { serial: unpad(info.serialNumber), keys: out };
}

function certsStep() {
  asUser(request.label, (session) => {
    for (const c of request.certs) {
    p.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_ID, value: hex(c.idHex) },
      { type: pkcs11js.CKA_LABEL, value: c.label },
      { type: pkcs11js.CKA_SUBJECT, value: hex(c.subjectHex) },
      { type: pkcs11js.CKA_ISSUER, value: hex(c.issuerHex) },
      { type: pkcs11js.CKA_SERIAL_NUMBER, value: hex(c.serialHex) },
      { type: pkcs11js.CKA_VALUE, value: hex(c.derHex) },
      ]);
    }
  });
  return {};
}

try {
  process.stdout.write(JSON.stringify(request.step === 'keys' ? keysStep() : certsStep()));
} finally {
  p.C_Finalize();
}
