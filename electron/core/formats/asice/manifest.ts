/**
 * META-INF/manifest.xml: the OpenDocument v1.2 manifest (OASIS ODF 1.2 part 3 §4) that EN 319
 * 162-1 §A.4 allows in ASiC-E and DigiDoc requires — one file-entry for the container ("/", the
 * ASiC-E media type) and one per data file with its media type:
 *
 *   <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 *     <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.etsi.asic-e+zip"/>
 *     <manifest:file-entry manifest:full-path="a.pdf" manifest:media-type="application/pdf"/>
 *   </manifest:manifest>
 *
 * Built and read with @xmldom/xmldom (DOM + serializer), never by string concatenation.
 */
import { DOMImplementation, DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { ASICE_MIME_TYPE, MANIFEST_NS } from './names';

export interface ManifestEntry {
  path: string;
  mediaType: string;
}

export function buildManifest(files: readonly ManifestEntry[]): Buffer {
  const doc = new DOMImplementation().createDocument(MANIFEST_NS, 'manifest:manifest', null);
  const root = doc.documentElement!;
  root.setAttributeNS(MANIFEST_NS, 'manifest:version', '1.2');
  for (const f of [{ path: '/', mediaType: ASICE_MIME_TYPE }, ...files]) {
    const e = doc.createElementNS(MANIFEST_NS, 'manifest:file-entry');
    e.setAttributeNS(MANIFEST_NS, 'manifest:full-path', f.path);
    e.setAttributeNS(MANIFEST_NS, 'manifest:media-type', f.mediaType);
    root.appendChild(e);
  }
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`, 'utf8');
}

/** The data files a manifest lists (the "/" entry left out), or a reason it cannot be read. */
export function parseManifest(xml: Buffer): { files: ManifestEntry[] } | { error: string } {
  let doc;
  try {
    doc = new DOMParser().parseFromString(xml.toString('utf8'), 'text/xml');
  } catch (e) {
    return { error: `META-INF/manifest.xml is not well-formed XML (${(e as Error).message})` };
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== MANIFEST_NS || root.localName !== 'manifest') return { error: 'META-INF/manifest.xml is not an OpenDocument manifest' };
  const files: ManifestEntry[] = [];
  const entries = root.getElementsByTagNameNS(MANIFEST_NS, 'file-entry');
  for (let i = 0; i < entries.length; i++) {
    const e = entries.item(i)!;
    const p = e.getAttributeNS(MANIFEST_NS, 'full-path') ?? '';
    if (p === '/') continue;
    files.push({ path: p, mediaType: e.getAttributeNS(MANIFEST_NS, 'media-type') ?? '' });
  }
  return { files };
}
