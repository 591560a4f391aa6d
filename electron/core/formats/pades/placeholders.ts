/**
 * Fixed-width placeholders for the two entries of a signature dictionary that can only be known
 * after the update is laid out (ISO 32000-1 §12.8.1, Table 252; ETSI EN 319 142-1 §5.5):
 *
 *   /ByteRange [0 a b c]  — the signed ranges: everything except the /Contents hex string
 *   /Contents <…>         — the CMS SignedData, hex, zero-padded to the reserved size
 *
 * Both objects remember where they were written, so the signer can patch the same bytes in
 * place: the file's layout never changes after the hash is taken.
 */
import { PDFHexString, PDFObject } from 'pdf-lib';

/** Room for four numbers of up to 12 digits each (files up to ~1 TB). */
const BYTE_RANGE_WIDTH = 4 * 12 + 3;

export class ByteRangePlaceholder extends PDFObject {
  /** Offset of '[' in the buffer it was last copied into. */
  offset = -1;

  override clone(): ByteRangePlaceholder {
    return new ByteRangePlaceholder();
  }
  override toString(): string {
    return `[${' '.repeat(BYTE_RANGE_WIDTH)}]`;
  }
  override sizeInBytes(): number {
    return BYTE_RANGE_WIDTH + 2;
  }
  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    this.offset = offset;
    const s = this.toString();
    for (let i = 0; i < s.length; i++) buffer[offset + i] = s.charCodeAt(i);
    return s.length;
  }

  /** Write the real values into `buffer` (the same layout), space-padded inside the brackets. */
  static fill(buffer: Uint8Array, offset: number, range: readonly [number, number, number, number]): void {
    const text = range.join(' ');
    if (text.length > BYTE_RANGE_WIDTH) throw new Error('ByteRange does not fit its placeholder');
    const s = `[${text.padEnd(BYTE_RANGE_WIDTH, ' ')}]`;
    for (let i = 0; i < s.length; i++) buffer[offset + i] = s.charCodeAt(i);
  }
}

export class ContentsPlaceholder extends PDFObject {
  /** Offset of '<' in the buffer it was last copied into. */
  offset = -1;
  constructor(readonly reservedBytes: number) {
    super();
  }
  override clone(): ContentsPlaceholder {
    return new ContentsPlaceholder(this.reservedBytes);
  }
  override toString(): string {
    return `<${'0'.repeat(this.reservedBytes * 2)}>`;
  }
  override sizeInBytes(): number {
    return this.reservedBytes * 2 + 2;
  }
  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    this.offset = offset;
    buffer[offset] = 0x3c; // <
    buffer.fill(0x30, offset + 1, offset + 1 + this.reservedBytes * 2); // 0
    buffer[offset + 1 + this.reservedBytes * 2] = 0x3e; // >
    return this.sizeInBytes();
  }

  /** Hex-encode `der` into the placeholder written at `offset`, keeping the zero padding. */
  static fill(buffer: Uint8Array, offset: number, reservedBytes: number, der: Uint8Array): void {
    if (der.length > reservedBytes) throw new Error('the signature does not fit the reserved /Contents');
    const hex = Buffer.from(der).toString('hex').toUpperCase();
    for (let i = 0; i < hex.length; i++) buffer[offset + 1 + i] = hex.charCodeAt(i);
  }
}

export { PDFHexString };
