// RFC 7512 PKCS#11 URIs for the objects the rig creates. A small formatter of the rig's own:
// the app's URI code (native/uri.ts) is what these URIs test, so the rig must not use it.
//
// Encoding (RFC 7512 §2.3): values are UTF-8 and percent-encoded. We leave only RFC 3986
// "unreserved" characters as they are, which every conformant parser accepts; the CKA_ID is
// binary and is written as %XX for every byte, as the RFC's examples do.

function encodeText(value: string): string {
  return Array.from(Buffer.from(value, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function encodeId(idHex: string): string {
  return (idHex.match(/../g) ?? []).map((h) => `%${h.toUpperCase()}`).join('');
}

export type UriObjectType = 'private' | 'public' | 'cert';

/** `pkcs11:token=…;serial=…` */
export function tokenUri(token: { label: string; serial: string }): string {
  return `pkcs11:token=${encodeText(token.label)};serial=${encodeText(token.serial)}`;
}

/** `pkcs11:token=…;serial=…;id=%01;type=private` */
export function objectUri(token: { label: string; serial: string }, idHex: string, type: UriObjectType): string {
  return `${tokenUri(token)};id=${encodeId(idHex)};type=${type}`;
}
