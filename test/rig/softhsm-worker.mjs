// Token personalisation, run as a child process by softhsm.ts: initialises tokens in the free
// slot of SoftHSM2 and creates the key and certificate objects with exactly the attributes the
// rig promises (CKA_ID shared by the three objects of a key, CKA_LABEL on all, sensitive and
// non-extractable private keys, CKA_ALWAYS_AUTHENTICATE on request).
//
// Why a child and not the test process: SoftHSM2 reads SOFTHSM2_CONF at C_Initialize and keeps
// global state; loading it in the test process would tie every rig of the process to one config
// and collide with tests that load modules themselves.
//
// Why plain JavaScript: Node 20 runs no TypeScript, and the rig must not depend on a build step.
// Input (stdin, JSON): { module, tokens: [{ label, pin, soPin, keys: [...] }] }.
// Output (stdout, JSON): [{ label, serial }]. PINs travel on stdin, never argv.
import { readFileSync } from 'node:fs';
import pkcs11js from 'pkcs11js';

const request = JSON.parse(readFileSync(0, 'utf8'));
const p = new pkcs11js.PKCS11();
p.load(request.module);

const hex = (s) => Buffer.from(s, 'hex');

/** The first slot whose token is not initialised (SoftHSM2 always keeps one). */
function freeSlot() {
  for (const slot of p.C_GetSlotList(true)) {
    const info = p.C_GetTokenInfo(slot);
    if ((info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0) return slot;
  }
  throw new Error('SoftHSM2 offers no free slot');
}

function privateTemplate(key) {
  const common = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_SIGN, value: true },
    // Explicit "no" for everything else: SoftHSM2's defaults would allow unwrap/derive.
    { type: pkcs11js.CKA_UNWRAP, value: false },
    { type: pkcs11js.CKA_DERIVE, value: false },
    { type: pkcs11js.CKA_ID, value: hex(key.idHex) },
    { type: pkcs11js.CKA_LABEL, value: key.label },
    { type: pkcs11js.CKA_ALWAYS_AUTHENTICATE, value: key.alwaysAuthenticate },
  ];
  if (key.subjectHex) common.push({ type: pkcs11js.CKA_SUBJECT, value: hex(key.subjectHex) });
  if (key.rsa) {
    const r = key.rsa;
    return [
      ...common,
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
      // An RSA authentication key may also be asked to decrypt (TLS 1.2 RSA key exchange).
      { type: pkcs11js.CKA_DECRYPT, value: key.purpose !== 'signing' },
      { type: pkcs11js.CKA_MODULUS, value: hex(r.modulus) },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: hex(r.publicExponent) },
      { type: pkcs11js.CKA_PRIVATE_EXPONENT, value: hex(r.privateExponent) },
      { type: pkcs11js.CKA_PRIME_1, value: hex(r.prime1) },
      { type: pkcs11js.CKA_PRIME_2, value: hex(r.prime2) },
      { type: pkcs11js.CKA_EXPONENT_1, value: hex(r.exponent1) },
      { type: pkcs11js.CKA_EXPONENT_2, value: hex(r.exponent2) },
      { type: pkcs11js.CKA_COEFFICIENT, value: hex(r.coefficient) },
    ];
  }
  return [
    ...common,
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
    { type: pkcs11js.CKA_DECRYPT, value: false },
    { type: pkcs11js.CKA_EC_PARAMS, value: hex(key.ec.params) },
    { type: pkcs11js.CKA_VALUE, value: hex(key.ec.value) },
  ];
}

function publicTemplate(key) {
  const common = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_VERIFY, value: true },
    { type: pkcs11js.CKA_WRAP, value: false },
    { type: pkcs11js.CKA_DERIVE, value: false },
    { type: pkcs11js.CKA_ID, value: hex(key.idHex) },
    { type: pkcs11js.CKA_LABEL, value: key.label },
  ];
  if (key.subjectHex) common.push({ type: pkcs11js.CKA_SUBJECT, value: hex(key.subjectHex) });
  if (key.rsa) {
    return [
      ...common,
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
      { type: pkcs11js.CKA_ENCRYPT, value: key.purpose !== 'signing' },
      { type: pkcs11js.CKA_MODULUS, value: hex(key.rsa.modulus) },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: hex(key.rsa.publicExponent) },
    ];
  }
  return [
    ...common,
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
    { type: pkcs11js.CKA_ENCRYPT, value: false },
    { type: pkcs11js.CKA_EC_PARAMS, value: hex(key.ec.params) },
    { type: pkcs11js.CKA_EC_POINT, value: hex(key.ec.point) },
  ];
}

function certificateTemplate(key) {
  const c = key.cert;
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_ID, value: hex(key.idHex) },
    { type: pkcs11js.CKA_LABEL, value: key.label },
    { type: pkcs11js.CKA_SUBJECT, value: hex(c.subjectHex) },
    { type: pkcs11js.CKA_ISSUER, value: hex(c.issuerHex) },
    { type: pkcs11js.CKA_SERIAL_NUMBER, value: hex(c.serialHex) },
    { type: pkcs11js.CKA_VALUE, value: hex(c.derHex) },
  ];
}

function personalise(token) {
  const slot = freeSlot();
  // CK_TOKEN_INFO.label is 32 bytes padded with blanks (PKCS#11 v2.40 §3.2); pkcs11js would pad
  // with NULs, which real tokens never do, so pad here.
  p.C_InitToken(slot, token.soPin, token.label + ' '.repeat(32 - Buffer.byteLength(token.label, 'utf8')));
  const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  try {
    p.C_Login(session, pkcs11js.CKU_SO, token.soPin);
    p.C_InitPIN(session, token.pin);
    p.C_Logout(session);
    p.C_Login(session, pkcs11js.CKU_USER, token.pin);
    for (const key of token.keys) {
      p.C_CreateObject(session, privateTemplate(key));
      p.C_CreateObject(session, publicTemplate(key));
      if (key.cert) p.C_CreateObject(session, certificateTemplate(key));
    }
    p.C_Logout(session);
  } finally {
    p.C_CloseSession(session);
  }
  return { label: token.label, serial: p.C_GetTokenInfo(slot).serialNumber.trim() };
}

const result = [];
for (const token of request.tokens) {
  // SoftHSM2 adds a new free slot only when it (re)scans its token directory at C_Initialize.
  p.C_Initialize();
  try {
    result.push(personalise(token));
  } finally {
    p.C_Finalize();
  }
}
process.stdout.write(JSON.stringify(result));
