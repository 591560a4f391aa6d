// A line-driven PKCS#11 client for the rig's self-tests: each stdin line is a JSON command, each
// answer one JSON line {ok:true,value} | {ok:false,error:"CKR_…"}. It runs in its own process
// because the fault modules crash or hang it on purpose, and because SoftHSM2 must see the rig's
// SOFTHSM2_CONF at C_Initialize. Handles (Buffers in pkcs11js) travel as hex.
import readline from 'node:readline';
import pkcs11js from 'pkcs11js';

const p = new pkcs11js.PKCS11();
const h = (hex) => Buffer.from(hex, 'hex');

function findKey(session, idHex, cls) {
  p.C_FindObjectsInit(session, [
    { type: pkcs11js.CKA_CLASS, value: cls },
    { type: pkcs11js.CKA_ID, value: h(idHex) },
  ]);
  const found = p.C_FindObjects(session, 1);
  p.C_FindObjectsFinal(session);
  if (found.length === 0) throw new Error(`no object with id ${idHex}`);
  return found[0];
}

const MECHANISMS = { 'RSA_PKCS': pkcs11js.CKM_RSA_PKCS, 'ECDSA': pkcs11js.CKM_ECDSA, 'SHA256_RSA_PKCS': pkcs11js.CKM_SHA256_RSA_PKCS };

const ops = {
  load: (c) => p.load(c.module),
  init: () => p.C_Initialize(),
  finalize: () => p.C_Finalize(),
  slots: (c) => p.C_GetSlotList(c.present).map((s) => s.toString('hex')),
  slotInfo: (c) => p.C_GetSlotInfo(h(c.slot)),
  tokenInfo: (c) => {
    const t = p.C_GetTokenInfo(h(c.slot));
    return { label: t.label.trim(), rawLabel: t.label, serial: t.serialNumber.trim(), flags: t.flags };
  },
  /** Slot of the token with this label, among present tokens. */
  findToken: (c) => {
    for (const s of p.C_GetSlotList(true)) {
      if (p.C_GetTokenInfo(s).label.trim() === c.label) return s.toString('hex');
    }
    throw new Error(`no token ${c.label}`);
  },
  open: (c) => p.C_OpenSession(h(c.slot), pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION).toString('hex'),
  close: (c) => p.C_CloseSession(h(c.session)),
  sessionInfo: (c) => p.C_GetSessionInfo(h(c.session)),
  login: (c) => p.C_Login(h(c.session), pkcs11js.CKU_USER, c.pin),
  contextLogin: (c) => p.C_Login(h(c.session), pkcs11js.CKU_CONTEXT_SPECIFIC, c.pin),
  logout: (c) => p.C_Logout(h(c.session)),
  /** SignInit (+ optional context-specific login) + Sign; returns the signature hex. */
  sign: (c) => {
    const session = h(c.session);
    const key = findKey(session, c.id, pkcs11js.CKO_PRIVATE_KEY);
    p.C_SignInit(session, { mechanism: MECHANISMS[c.mechanism] }, key);
    if (c.contextPin !== undefined) p.C_Login(session, pkcs11js.CKU_CONTEXT_SPECIFIC, c.contextPin);
    return p.C_Sign(session, h(c.data), Buffer.alloc(1024)).toString('hex');
  },
  /** C_SignInit only, then C_Sign in a second command (to pull the card in between). */
  signInit: (c) => {
    const session = h(c.session);
    p.C_SignInit(session, { mechanism: MECHANISMS[c.mechanism] }, findKey(session, c.id, pkcs11js.CKO_PRIVATE_KEY));
  },
  signOnly: (c) => p.C_Sign(h(c.session), h(c.data), Buffer.alloc(1024)).toString('hex'),
  /** C_WaitForSlotEvent; null when there is no event (CKF_DONT_BLOCK). */
  wait: (c) => {
    const slot = p.C_WaitForSlotEvent(c.dontBlock ? pkcs11js.CKF_DONT_BLOCK : 0);
    return slot === null ? null : slot.toString('hex');
  },
  exit: () => process.exit(0),
};

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let answer;
  try {
    const c = JSON.parse(line);
    const value = ops[c.op](c);
    answer = { ok: true, value: value === undefined ? null : value };
  } catch (e) {
    // pkcs11js puts the CKR name first in the message ("CKR_DEVICE_REMOVED:…").
    const m = /CKR_[A-Z_]+/.exec(String(e?.message));
    answer = { ok: false, error: m ? m[0] : String(e?.message ?? e) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
rl.on('close', () => process.exit(0));
