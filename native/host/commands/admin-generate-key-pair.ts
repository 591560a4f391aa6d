/**
 * `admin.generateKeyPair`: C_GenerateKeyPair on the token (CKM_RSA_PKCS_KEY_PAIR_GEN, PKCS#11 v2.40
 * §2.1.4; CKM_EC_KEY_PAIR_GEN, §2.3.5). The private key is a sensitive, non-extractable token
 * object that can sign and nothing else; the user must be logged in (read/write session).
 */
import { SignetError } from '../../errors';
import type { GeneratedKeyPair } from '../../protocol';
import { bytesOfHex, objectUri } from '../../uri';
import { readAttributes, bytes, idBuffer } from '../objects';
import { pkcs11js, toSignetError } from '../pkcs11';
import type { Handler } from './types';

export const handle: Handler<'admin.generateKeyPair'> = (params, ctx) =>
  ctx.withSession(
    params.token,
    (st, session): GeneratedKeyPair => {
      const p = ctx.p11();
      const A = pkcs11js;
      if (!ctx.loggedIn(st)) throw new SignetError('INVALID_INPUT', 'Log in to the token before generating keys.');
      const common = [
        { type: A.CKA_TOKEN, value: true },
        { type: A.CKA_ID, value: idBuffer(params.idHex) },
        { type: A.CKA_LABEL, value: params.label },
      ];
      const pub: pkcs11js.Template = [...common, { type: A.CKA_CLASS, value: A.CKO_PUBLIC_KEY }, { type: A.CKA_VERIFY, value: true }, { type: A.CKA_PRIVATE, value: false }];
      const priv: pkcs11js.Template = [
        ...common,
        { type: A.CKA_CLASS, value: A.CKO_PRIVATE_KEY },
        { type: A.CKA_PRIVATE, value: true },
        { type: A.CKA_SENSITIVE, value: true },
        { type: A.CKA_EXTRACTABLE, value: false },
        { type: A.CKA_SIGN, value: true },
        { type: A.CKA_DECRYPT, value: false },
      ];
      if (params.alwaysAuthenticate) priv.push({ type: A.CKA_ALWAYS_AUTHENTICATE, value: true });
      let mech: pkcs11js.Mechanism;
      if (params.keyType === 'RSA') {
        mech = { mechanism: A.CKM_RSA_PKCS_KEY_PAIR_GEN };
        pub.push({ type: A.CKA_KEY_TYPE, value: A.CKK_RSA }, { type: A.CKA_MODULUS_BITS, value: params.bits ?? 2048 }, { type: A.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) });
        priv.push({ type: A.CKA_KEY_TYPE, value: A.CKK_RSA });
      } else {
        if (!params.ecParams) throw new SignetError('INVALID_INPUT', 'EC key generation needs the curve (CKA_EC_PARAMS).');
        mech = { mechanism: A.CKM_EC_KEY_PAIR_GEN };
        pub.push({ type: A.CKA_KEY_TYPE, value: A.CKK_EC }, { type: A.CKA_EC_PARAMS, value: Buffer.from(params.ecParams) });
        priv.push({ type: A.CKA_KEY_TYPE, value: A.CKK_EC });
      }
      let pair: pkcs11js.KeyPair;
      try {
        pair = p.C_GenerateKeyPair(session, mech, pub, priv);
      } catch (e) {
        throw toSignetError(e, 'C_GenerateKeyPair');
      }
      const a = readAttributes(p, session, pair.publicKey, params.keyType === 'RSA' ? [A.CKA_MODULUS, A.CKA_PUBLIC_EXPONENT] : [A.CKA_EC_PARAMS, A.CKA_EC_POINT]);
      const id = bytesOfHex(params.idHex);
      const out: GeneratedKeyPair = {
        privateKeyUri: objectUri(st.token.uri, { id, type: 'private' }),
        publicKeyUri: objectUri(st.token.uri, { id, type: 'public' }),
        keyType: params.keyType,
      };
      const set = (k: 'modulus' | 'publicExponent' | 'ecParams' | 'ecPoint', t: number): void => {
        const v = bytes(a.get(t));
        if (v) out[k] = v;
      };
      set('modulus', A.CKA_MODULUS);
      set('publicExponent', A.CKA_PUBLIC_EXPONENT);
      set('ecParams', A.CKA_EC_PARAMS);
      set('ecPoint', A.CKA_EC_POINT);
      ctx.log('info', 'key pair generated', { token: st.token.uri, keyType: params.keyType, id: params.idHex });
      return out;
    },
    { rw: true },
  );
