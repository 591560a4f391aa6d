/** `admin.createCertificate`: C_CreateObject of an X.509 certificate token object (PKCS#11 v2.40 §4.6.3). */
import { SignetError } from '../../errors';
import { bytesOfHex, objectUri } from '../../uri';
import { idBuffer } from '../objects';
import { pkcs11js, toSignetError } from '../pkcs11';
import type { Handler } from './types';

export const handle: Handler<'admin.createCertificate'> = (params, ctx) =>
  ctx.withSession(
    params.token,
    (st, session) => {
      const A = pkcs11js;
      if (!ctx.loggedIn(st)) throw new SignetError('INVALID_INPUT', 'Log in to the token before storing certificates.');
      try {
        ctx.p11().C_CreateObject(session, [
          { type: A.CKA_CLASS, value: A.CKO_CERTIFICATE },
          { type: A.CKA_CERTIFICATE_TYPE, value: A.CKC_X_509 },
          { type: A.CKA_TOKEN, value: true },
          { type: A.CKA_PRIVATE, value: false },
          { type: A.CKA_ID, value: idBuffer(params.idHex) },
          { type: A.CKA_LABEL, value: params.label },
          { type: A.CKA_SUBJECT, value: Buffer.from(params.subject) },
          { type: A.CKA_ISSUER, value: Buffer.from(params.issuer) },
          { type: A.CKA_SERIAL_NUMBER, value: Buffer.from(params.serialNumber) },
          { type: A.CKA_VALUE, value: Buffer.from(params.der) },
        ]);
      } catch (e) {
        throw toSignetError(e, 'C_CreateObject');
      }
      return { uri: objectUri(st.token.uri, { id: bytesOfHex(params.idHex), label: params.label, type: 'cert' }) };
    },
    { rw: true },
  );
