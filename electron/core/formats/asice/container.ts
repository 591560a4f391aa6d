/**
 * The ASiC-E ZIP container (ETSI EN 319 162-1 §4.4.3 and Annex A), written with yazl and read
 * with yauzl — no hand-written ZIP.
 *
 * Written: `mimetype` first, STORED, without extra field (§A.1: so that the media type can be
 * read at offset 38), then the data files (deflated), META-INF/manifest.xml and the
 * META-INF/signatures<N>.xml files. yazl writes every entry added from a buffer with its CRC and
 * sizes in the local header (no data descriptor) and no local extra field.
 *
 * Read: every entry in central-directory order, with its compression and local-header facts, the
 * content decompressed (sizes validated by yauzl, a total limit against ZIP bombs). Names are
 * checked (no absolute paths, no "..", no backslashes: yauzl's strictFileNames).
 */
import { Buffer, constants } from 'node:buffer';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import * as yazl from 'yazl';
import { SignetError } from '../../../../native/errors';
import { buildManifest, parseManifest, type ManifestEntry } from './manifest';
import { ASICE_MIME_TYPE, MANIFEST_PATH, SIGNATURE_FILE } from './names';

/** Largest total content Signet reads from or writes into one container (yazl's buffer limit is 1 GiB per entry). */
export const MAX_CONTAINER_CONTENT = Math.min(constants.MAX_LENGTH, 2 ** 30) - 1;

export interface DataFile {
  /** Name in the container (a plain file name, no folders). */
  name: string;
  data: Buffer;
  mimeType: string;
}

export interface SignatureFile {
  /** META-INF/signatures<N>.xml */
  name: string;
  xml: Buffer;
}

export interface ContainerParts {
  dataFiles: readonly DataFile[];
  signatures: readonly SignatureFile[];
  /** Entry times (default now). */
  mtime?: Date;
}

export async function writeContainer(parts: ContainerParts): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = parts.mtime ?? new Date();
  // DOS timestamps only: no extra field anywhere (§A.1 forbids one on mimetype; the others need none).
  const common = { mtime, forceDosTimestamp: true };
  zip.addBuffer(Buffer.from(ASICE_MIME_TYPE, 'ascii'), 'mimetype', { ...common, compress: false });
  for (const f of parts.dataFiles) zip.addBuffer(f.data, f.name, { ...common, compress: true });
  zip.addBuffer(buildManifest(parts.dataFiles.map((f): ManifestEntry => ({ path: f.name, mediaType: f.mimeType }))), MANIFEST_PATH, { ...common, compress: true });
  for (const s of parts.signatures) zip.addBuffer(s.xml, s.name, { ...common, compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

export interface ContainerEntryInfo {
  name: string;
  /** 0 stored, 8 deflated. */
  compressionMethod: number;
  size: number;
}

export interface OpenedContainer {
  /** All entries, in the order of the central directory. */
  entries: ContainerEntryInfo[];
  /** Data files: every entry outside META-INF/ except mimetype (folders left out). */
  dataFiles: DataFile[];
  /** META-INF/*signatures*.xml, by name. */
  signatures: SignatureFile[];
  /** The manifest's entries, when there is one that can be read. */
  manifest?: ManifestEntry[];
  /** Structure problems (EN 319 162-1 §A): a container with any is not valid. */
  problems: string[];
}

/** True when `bytes` starts like an ASiC container: a ZIP whose first entry is `mimetype` (§A.1). */
export function looksLikeAsic(head: Uint8Array): boolean {
  return head.length >= 38 && Buffer.from(head.subarray(0, 4)).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) && Buffer.from(head.subarray(30, 38)).toString('latin1') === 'mimetype';
}

export async function readContainer(bytes: Buffer, name = 'The container'): Promise<OpenedContainer> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true });
  } catch (e) {
    throw new SignetError('INVALID_INPUT', `${name} is not a ZIP container (${(e as Error).message})`, { cause: e });
  }
  const problems: string[] = [];
  const entries: ContainerEntryInfo[] = [];
  const dataFiles: DataFile[] = [];
  const signatures: SignatureFile[] = [];
  let manifestXml: Buffer | undefined;
  let mimetype: { content: string; method: number; offset: number; localExtra: number } | undefined;
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const fileName = entry.fileName;
      entries.push({ name: fileName, compressionMethod: entry.compressionMethod, size: entry.uncompressedSize });
      if (fileName.endsWith('/')) continue;
      total += entry.uncompressedSize;
      if (total > MAX_CONTAINER_CONTENT) throw new SignetError('INVALID_INPUT', `${name} holds more than ${MAX_CONTAINER_CONTENT} bytes; Signet does not open containers that large`);
      const content = await readEntry(zip, entry, name);
      if (fileName === 'mimetype') {
        const local = await zip.readLocalFileHeaderPromise(entry);
        mimetype = { content: content.toString('latin1'), method: entry.compressionMethod, offset: entry.relativeOffsetOfLocalHeader, localExtra: local.extraFieldLength };
      } else if (fileName === MANIFEST_PATH) manifestXml = content;
      else if (SIGNATURE_FILE.test(fileName)) signatures.push({ name: fileName, xml: content });
      else if (!fileName.startsWith('META-INF/')) dataFiles.push({ name: fileName, data: content, mimeType: '' });
    }
  } catch (e) {
    if (e instanceof SignetError) throw e;
    throw new SignetError('INVALID_INPUT', `${name} cannot be read as a ZIP container (${(e as Error).message})`, { cause: e });
  } finally {
    zip.close();
  }
  // EN 319 162-1 §A.1: "mimetype" first, stored, no extra field, holding the ASiC-E media type.
  if (!mimetype) problems.push('the container has no "mimetype" entry');
  else {
    if (mimetype.offset !== 0) problems.push('"mimetype" is not the first entry of the container');
    if (mimetype.method !== 0) problems.push('"mimetype" is compressed (it must be stored)');
    if (mimetype.localExtra !== 0) problems.push('"mimetype" has an extra field');
    if (mimetype.content !== ASICE_MIME_TYPE) problems.push(`"mimetype" says ${JSON.stringify(mimetype.content)}, not ${ASICE_MIME_TYPE}`);
  }
  let manifest: ManifestEntry[] | undefined;
  if (!manifestXml) problems.push('the container has no META-INF/manifest.xml');
  else {
    const m = parseManifest(manifestXml);
    if ('error' in m) problems.push(m.error);
    else {
      manifest = m.files;
      const listed = new Map(m.files.map((f) => [f.path, f.mediaType]));
      for (const d of dataFiles) {
        const t = listed.get(d.name);
        if (t === undefined) problems.push(`${d.name} is in the container but not in META-INF/manifest.xml`);
        else d.mimeType = t;
      }
      const present = new Set(dataFiles.map((d) => d.name));
      for (const f of m.files) if (!present.has(f.path)) problems.push(`META-INF/manifest.xml lists ${f.path}, which is not in the container`);
    }
  }
  if (dataFiles.length === 0) problems.push('the container holds no data file');
  return { entries, dataFiles, signatures, ...(manifest ? { manifest } : {}), problems };
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): Promise<Buffer> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (e) {
    throw new SignetError('INVALID_INPUT', `${name}: ${entry.fileName} cannot be read (${(e as Error).message})`, { cause: e });
  }
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}
