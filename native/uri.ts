/**
 * RFC 7512 PKCS#11 URIs: how Signet names tokens, keys and certificates everywhere.
 *
 *   pk11-URI   = "pkcs11:" pk11-path [ "?" pk11-query ]
 *   pk11-path  = [ pk11-pattr *(";" pk11-pattr) ]
 *   pk11-query = [ pk11-qattr *("&" pk11-qattr) ]
 *   pk11-pchar = unreserved / pk11-res-avail / pct-encoded          (RFC 7512 §2.3)
 *
 * Path attributes compare after percent-decoding; `id` is binary (CKA_ID). The query attributes
 * `pin-value` / `pin-source` are refused: Signet never takes a PIN from a URI (PIN discipline).
 *
 * Token attributes and CK_TOKEN_INFO padding: the token, manufacturer, model and serial fields are
 * fixed-length and "padded with the blank character (' ')" (PKCS#11 v2.40 §3.2), but some modules
 * pad with NUL bytes instead (tpm2-pkcs11's model, tpm2-software/tpm2-pkcs11#846). Two rules:
 *  - printing: a URI carries the field with only its trailing blanks removed, NULs kept and
 *    percent-encoded — exactly what p11-kit formats (p11-kit/uri.c format_struct_string →
 *    p11_kit_space_strlen) and therefore what GnuTLS p11tool prints and matches: p11-kit pads a
 *    URI value with blanks and compares all bytes (match_struct_string), so a URI without the
 *    NULs would not match the token in p11tool;
 *  - matching: Signet compares values after removing trailing blank *and* NUL padding on both
 *    sides (RFC 7512 §2.3 names the CK_TOKEN_INFO fields; the padding is not part of the value),
 *    so URIs from p11tool (with the NULs) and hand-written ones (without) both match.
 */
import { SignetError } from './errors';

export type ObjectType = 'cert' | 'private' | 'public' | 'secret-key' | 'data';

export interface Pkcs11Uri {
  // Token (CK_TOKEN_INFO)
  token?: string;
  manufacturer?: string;
  serial?: string;
  model?: string;
  // Object
  object?: string;
  type?: ObjectType;
  id?: Uint8Array;
  // Slot (CK_SLOT_INFO / slot ID)
  slotDescription?: string;
  slotManufacturer?: string;
  slotId?: string;
  // Library (CK_INFO)
  libraryManufacturer?: string;
  libraryDescription?: string;
  libraryVersion?: string;
  // Query
  modulePath?: string;
  moduleName?: string;
}

const PATH_ATTRS: Record<string, keyof Pkcs11Uri> = {
  token: 'token',
  manufacturer: 'manufacturer',
  serial: 'serial',
  model: 'model',
  object: 'object',
  type: 'type',
  id: 'id',
  'slot-description': 'slotDescription',
  'slot-manufacturer': 'slotManufacturer',
  'slot-id': 'slotId',
  'library-manufacturer': 'libraryManufacturer',
  'library-description': 'libraryDescription',
  'library-version': 'libraryVersion',
};

const QUERY_ATTRS: Record<string, keyof Pkcs11Uri> = {
  'module-path': 'modulePath',
  'module-name': 'moduleName',
};

const OBJECT_TYPES: readonly ObjectType[] = ['cert', 'private', 'public', 'secret-key', 'data'];

function invalid(uri: string, why: string): SignetError {
  return new SignetError('INVALID_INPUT', `Not a valid PKCS#11 URI (RFC 7512): ${why}`, { details: { uri: uri.slice(0, 200) } });
}

/** Percent-decode to bytes; any character outside ASCII printable is an error. */
function decodeBytes(raw: string, uri: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 /* % */) {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw invalid(uri, `bad percent-encoding near "${raw.slice(i, i + 3)}"`);
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x21 || c > 0x7e) {
      throw invalid(uri, 'characters outside printable ASCII must be percent-encoded');
    } else {
      out.push(c);
    }
  }
  return Uint8Array.from(out);
}

function decodeText(raw: string, uri: string): string {
  const bytes = decodeBytes(raw, uri);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(uri, 'attribute value is not UTF-8');
  }
}

export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (typeof uri !== 'string' || !/^pkcs11:/i.test(uri)) throw invalid(String(uri), 'must start with "pkcs11:"');
  const body = uri.slice('pkcs11:'.length);
  const q = body.indexOf('?');
  const pathPart = q >= 0 ? body.slice(0, q) : body;
  const queryPart = q >= 0 ? body.slice(q + 1) : '';
  const result: Pkcs11Uri = {};
  const seen = new Set<string>();

  for (const attr of pathPart.split(';')) {
    if (attr === '') continue;
    const eq = attr.indexOf('=');
    if (eq <= 0) throw invalid(uri, `attribute "${attr}" has no value`);
    const name = attr.slice(0, eq).toLowerCase();
    const raw = attr.slice(eq + 1);
    if (seen.has(name)) throw invalid(uri, `attribute "${name}" appears twice`);
    seen.add(name);
    const key = PATH_ATTRS[name];
    if (!key) {
      // RFC 7512 §2.3: vendor attributes start with "x-"; a consumer that does not know them
      // must not treat the URI as matching anything else, so we refuse it clearly.
      throw invalid(uri, `unknown attribute "${name}"`);
    }
    if (key === 'id') {
      result.id = decodeBytes(raw, uri);
    } else if (key === 'type') {
      const t = decodeText(raw, uri);
      if (!(OBJECT_TYPES as readonly string[]).includes(t)) throw invalid(uri, `unknown object type "${t}"`);
      result.type = t as ObjectType;
    } else {
      (result as Record<string, unknown>)[key] = decodeText(raw, uri);
    }
  }

  for (const attr of queryPart.split('&')) {
    if (attr === '') continue;
    const eq = attr.indexOf('=');
    const name = (eq < 0 ? attr : attr.slice(0, eq)).toLowerCase();
    if (name === 'pin-value' || name === 'pin-source') {
      throw new SignetError('INVALID_INPUT', 'PKCS#11 URIs with a PIN (pin-value / pin-source) are refused: Signet asks for the PIN itself');
    }
    const key = QUERY_ATTRS[name];
    if (!key || eq < 0) continue; // unknown query attributes are ignorable (RFC 7512 §2.3)
    (result as Record<string, unknown>)[key] = decodeText(attr.slice(eq + 1), uri);
  }
  return result;
}

const parsedCache = new Map<string, Readonly<Pkcs11Uri>>();

/** parsePkcs11Uri with a small cache (hot paths parse the same key URI for every signature). The result is shared: do not modify it. */
export function parsePkcs11UriCached(uri: string): Readonly<Pkcs11Uri> {
  let u = parsedCache.get(uri);
  if (!u) {
    u = parsePkcs11Uri(uri);
    if (parsedCache.size >= 512) parsedCache.clear();
    parsedCache.set(uri, u);
  }
  return u;
}

// RFC 3986 unreserved + RFC 7512 pk11-res-avail (path) — everything else is percent-encoded.
const PATH_SAFE = /[A-Za-z0-9\-._~:[\]@!$'()*+,=&]/;
const QUERY_SAFE = /[A-Za-z0-9\-._~:[\]@!$'()*+,=/?|]/;

function encodeBytes(bytes: Uint8Array, safe: RegExp | null): string {
  let s = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (safe && b < 0x80 && safe.test(ch)) s += ch;
    else s += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return s;
}

const encodeText = (text: string, safe: RegExp): string => encodeBytes(new TextEncoder().encode(text), safe);

/** Format with attributes in the order p11tool/p11-kit use (library, slot, token, then object). */
export function formatPkcs11Uri(u: Pkcs11Uri): string {
  const parts: string[] = [];
  const text = (name: string, v: string | undefined): void => {
    if (v !== undefined) parts.push(`${name}=${encodeText(v, PATH_SAFE)}`);
  };
  text('library-manufacturer', u.libraryManufacturer);
  text('library-description', u.libraryDescription);
  text('library-version', u.libraryVersion);
  text('slot-manufacturer', u.slotManufacturer);
  text('slot-description', u.slotDescription);
  text('slot-id', u.slotId);
  text('model', u.model);
  text('manufacturer', u.manufacturer);
  text('serial', u.serial);
  text('token', u.token);
  if (u.id !== undefined) parts.push(`id=${encodeBytes(u.id, null)}`);
  text('object', u.object);
  text('type', u.type);
  const query: string[] = [];
  if (u.modulePath !== undefined) query.push(`module-path=${encodeText(u.modulePath, QUERY_SAFE)}`);
  if (u.moduleName !== undefined) query.push(`module-name=${encodeText(u.moduleName, QUERY_SAFE)}`);
  return `pkcs11:${parts.join(';')}${query.length ? `?${query.join('&')}` : ''}`;
}

export interface TokenIdentity {
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
}

/** The token's URI from its CK_TOKEN_INFO fields (as read, or already unpadded): p11-kit's form. */
export function tokenUri(t: TokenIdentity): string {
  return formatPkcs11Uri({ model: uriField(t.model), manufacturer: uriField(t.manufacturer), serial: uriField(t.serial), token: uriField(t.label) });
}

/**
 * An object's URI on a token. `token` is the token's URI (TokenInfo.uri, which keeps the fields
 * in p11-kit's form) or its identity fields.
 */
export function objectUri(token: string | TokenIdentity, o: { id?: Uint8Array; label?: string; type: ObjectType }): string {
  const t = typeof token === 'string' ? parsePkcs11UriCached(token) : parsePkcs11Uri(tokenUri(token));
  const u: Pkcs11Uri = { type: o.type };
  if (t.model !== undefined) u.model = t.model;
  if (t.manufacturer !== undefined) u.manufacturer = t.manufacturer;
  if (t.serial !== undefined) u.serial = t.serial;
  if (t.token !== undefined) u.token = t.token;
  if (o.id !== undefined && o.id.length > 0) u.id = o.id;
  if (o.label !== undefined && o.label !== '') u.object = o.label;
  return formatPkcs11Uri(u);
}

/** A CK_TOKEN_INFO text field without its trailing blank / NUL padding: what is shown and compared. */
export const unpadded = (field: string): string => field.replace(/[ \0]+$/, '');

/** A CK_TOKEN_INFO text field as a URI carries it: trailing blanks removed, NULs kept (p11-kit's form). */
export const uriField = (field: string): string => field.replace(/ +$/, '');

const fieldMatches = (inUri: string | undefined, field: string): boolean => inUri === undefined || unpadded(inUri) === unpadded(field);

/**
 * Every token attribute the URI names matches the token (absent attributes match anything),
 * compared after removing trailing blank/NUL padding on both sides (see the header).
 */
export function uriMatchesToken(u: Pkcs11Uri, t: TokenIdentity & { slotId?: string }): boolean {
  return (
    fieldMatches(u.token, t.label) &&
    fieldMatches(u.manufacturer, t.manufacturer) &&
    fieldMatches(u.model, t.model) &&
    fieldMatches(u.serial, t.serial) &&
    (u.slotId === undefined || t.slotId === undefined || u.slotId === t.slotId)
  );
}

/**
 * The identity of a token, the same whichever module (or proxy) reaches it: manufacturer, model,
 * serial and label after padding removal. Two slots with equal keys hold the same token.
 */
export function tokenIdentityKey(t: TokenIdentity): string {
  return [t.manufacturer, t.model, t.serial, t.label].map(unpadded).join('\u0000');
}

/** The URI names a token at all (an object URI without token attributes would match every token). */
export function namesToken(u: Pkcs11Uri): boolean {
  return u.token !== undefined || u.serial !== undefined || u.slotId !== undefined;
}

export const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
export const bytesOfHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
