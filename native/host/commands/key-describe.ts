/**
 * `key.describe`: the private key a URI names, or — on cards that hide private keys until login —
 * what its certificate / public key (same CKA_ID) tell about it (confirmed: false).
 */
import { SignetError } from '../../errors';
import type { KeyDescription, RawKeyObject } from '../../protocol';
import { hexOf, objectUri, bytesOfHex } from '../../uri';
import { findObjects, readAttributes, readKey, templateFor, idBuffer, bytes } from '../objects';
import { pkcs11js } from '../pkcs11';
import type { Handler } from './types';

export const handle: Handler<'key.describe'> = (params, ctx) =>
  ctx.withSession(
    params.token,
    (st, session): KeyDescription => {
      const p = ctx.p11();
      const A = pkcs11js;
      const loggedIn = ctx.loggedIn(st);
      const [priv] = findObjects(p, session, templateFor(params.key, A.CKO_PRIVATE_KEY), 1);
      const key: RawKeyObject | undefined = priv ? readKey(p, session, priv, 'private') : undefined;
      // The CKA_ID to look for the certificate / public key by.
      const fromUri = templateFor(params.key, A.CKO_CERTIFICATE).find((t) => t.type === A.CKA_ID)?.value as Buffer | undefined;
      const idHex = key?.id ?? (fromUri ? hexOf(fromUri) : '');
      let pub: RawKeyObject | undefined;
      let cert: { der: Uint8Array; uri: string } | undefined;
      if (idHex !== '') {
        const [ph] = findObjects(p, session, [{ type: A.CKA_CLASS, value: A.CKO_PUBLIC_KEY }, { type: A.CKA_ID, value: idBuffer(idHex) }], 1);
        if (ph) pub = readKey(p, session, ph, 'public');
        const [ch] = findObjects(p, session, [{ type: A.CKA_CLASS, value: A.CKO_CERTIFICATE }, { type: A.CKA_CERTIFICATE_TYPE, value: A.CKC_X_509 }, { type: A.CKA_ID, value: idBuffer(idHex) }], 1);
        if (ch) {
          const a = readAttributes(p, session, ch, [A.CKA_VALUE, A.CKA_LABEL]);
          const der = bytes(a.get(A.CKA_VALUE));
          const label = a.get(A.CKA_LABEL)?.toString('utf8') ?? '';
          if (der?.length) cert = { der, uri: objectUri(st.token.uri, { id: bytesOfHex(idHex), label, type: 'cert' }) };
        }
      }
      const hiddenPossible = !loggedIn && st.token.flags.loginRequired;
      if (!key && (!hiddenPossible || (!pub && !cert))) {
        throw new SignetError('KEY_NOT_FOUND', loggedIn ? 'No private key matching the URI is on the token.' : 'No key matching the URI is on the token.', {
          details: { key: params.key },
        });
      }
      const d: KeyDescription = {
        uri: params.key,
        token: st.token,
        loggedIn,
        confirmed: key !== undefined,
        id: idHex,
        label: key?.label ?? pub?.label ?? '',
        keyType: key?.keyType ?? pub?.keyType ?? 'other',
        alwaysAuthenticate: key?.alwaysAuthenticate ?? false,
      };
      const modulus = key?.modulus ?? pub?.modulus;
      const ecParams = key?.ecParams ?? pub?.ecParams;
      if (modulus) d.modulus = modulus;
      if (ecParams) d.ecParams = ecParams;
      if (cert) {
        d.certificate = cert.der;
        d.certificateUri = cert.uri;
      }
      return d;
    },
    { retry: true },
  );
