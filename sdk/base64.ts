/** base64 ⇄ bytes without dependencies, chunked so 25 MB documents do not blow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(out);
}

export function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export type BinaryInput = Uint8Array | ArrayBuffer | string;

/** Bytes, or a base64 string passed through. */
export function asBase64(v: BinaryInput): string {
  if (typeof v === 'string') return v;
  return toBase64(v instanceof Uint8Array ? v : new Uint8Array(v));
}
