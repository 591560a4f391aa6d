/**
 * Making an ASiC-E container with a XAdES signature (EN 319 162-1 §4.4.3), and adding a further
 * signature to an existing one: the data files and the earlier META-INF/signatures*.xml are
 * carried over unchanged (the same bytes), and the new signature goes to the first free
 * META-INF/signatures<N>.xml.
 */
import { SignetError } from '../../../../native/errors';
import { hashBytes } from '../../hashing';
import { readContainer, writeContainer, type DataFile, type SignatureFile } from './container';
import { mimeTypeFor } from './mime-types';
import { signatureFileName } from './names';
import { signXades, type XadesSignature, type XadesSignInput } from './xades-sign';

export type AsiceSignInput = Omit<XadesSignInput, 'files' | 'id'>;

export interface AsiceResult {
  container: Buffer;
  /** META-INF/signatures<N>.xml written. */
  signatureFile: string;
  signature: XadesSignature;
  /** The data files the new signature covers, in container order. */
  files: string[];
}

export async function createAsice(files: readonly { name: string; data: Buffer }[], input: AsiceSignInput): Promise<AsiceResult> {
  checkNames(files.map((f) => f.name));
  const dataFiles: DataFile[] = files.map((f) => ({ name: f.name, data: f.data, mimeType: mimeTypeFor(f.name) }));
  return signInto(dataFiles, [], input);
}

export async function addAsiceSignature(container: Buffer, input: AsiceSignInput, name = 'The container'): Promise<AsiceResult> {
  const opened = await readContainer(container, name);
  if (opened.problems.length > 0) {
    throw new SignetError('INVALID_INPUT', `${name} is not a well-formed ASiC-E container, so no signature is added: ${opened.problems.join('; ')}`);
  }
  return signInto(opened.dataFiles, opened.signatures, input);
}

async function signInto(dataFiles: DataFile[], earlier: readonly SignatureFile[], input: AsiceSignInput): Promise<AsiceResult> {
  const taken = new Set(earlier.map((s) => s.name));
  let n = 0;
  while (taken.has(signatureFileName(n))) n++;
  const signatureFile = signatureFileName(n);
  const signature = await signXades({
    ...input,
    id: `S${n}`,
    files: dataFiles.map((f) => ({ name: f.name, digest: hashBytes(input.hash, f.data), mimeType: f.mimeType })),
  });
  input.signal?.throwIfAborted();
  const out = await writeContainer({ dataFiles, signatures: [...earlier, { name: signatureFile, xml: signature.xml }] });
  return { container: out, signatureFile, signature, files: dataFiles.map((f) => f.name) };
}

/** Data file names: plain, distinct, and none that ASiC reserves (EN 319 162-1 §A.1, §A.4). */
function checkNames(names: readonly string[]): void {
  if (names.length === 0) throw new SignetError('INVALID_INPUT', 'A container needs at least one file');
  const seen = new Set<string>();
  for (const n of names) {
    if (n === '' || n.includes('/') || n.includes('\\') || n === '.' || n === '..') throw new SignetError('INVALID_INPUT', `"${n}" cannot be a file name in a container`);
    if (n === 'mimetype' || n.toUpperCase() === 'META-INF') throw new SignetError('INVALID_INPUT', `A file named "${n}" cannot be put in a container: the name is reserved by ASiC`, { details: { file: n } });
    if (seen.has(n)) throw new SignetError('INVALID_INPUT', `Two files are named "${n}": a container holds each name once (rename one)`, { details: { file: n } });
    seen.add(n);
  }
}
