/** `token.objects`: X.509 certificates and RSA/EC keys on a token (read-only session). */
import type { RawCertificateObject, RawKeyObject } from '../../protocol';
import { hexOf } from '../../uri';
import { findObjects, readAttributes, readKey, text, bytes } from '../objects';
import { pkcs11js } from '../pkcs11';
import type { Handler } from './types';

export const handle: Handler<'token.objects'> = (params, ctx) =>
  ctx.withSession(
    params.token,
    (st, session) => {
      const p = ctx.p11();
      const A = pkcs11js;
      const certificates: RawCertificateObject[] = [];
      for (const h of findObjects(p, session, [
        { type: A.CKA_CLASS, value: A.CKO_CERTIFICATE },
        { type: A.CKA_CERTIFICATE_TYPE, value: A.CKC_X_509 },
      ])) {
        const a = readAttributes(p, session, h, [A.CKA_ID, A.CKA_LABEL, A.CKA_VALUE]);
        const value = bytes(a.get(A.CKA_VALUE));
        if (!value?.length) continue;
        const id = a.get(A.CKA_ID);
        certificates.push({ id: id ? hexOf(id) : '', label: text(a.get(A.CKA_LABEL)), value });
      }
      const keys: RawKeyObject[] = [];
      for (const h of findObjects(p, session, [{ type: A.CKA_CLASS, value: A.CKO_PRIVATE_KEY }])) keys.push(readKey(p, session, h, 'private'));
      for (const h of findObjects(p, session, [{ type: A.CKA_CLASS, value: A.CKO_PUBLIC_KEY }])) keys.push(readKey(p, session, h, 'public'));
      return { token: st.token, loggedIn: ctx.loggedIn(st), certificates, keys };
    },
    { retry: true },
  );
