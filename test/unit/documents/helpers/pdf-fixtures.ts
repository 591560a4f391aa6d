/**
 * Test PDFs with the features the PDF rules are about, made with pdf-lib's low-level API (an
 * independent writer): rotated pages and offset crop boxes, empty signature fields, a PDF/A
 * claim in XMP, a DocMDP certification dictionary. Each returns the saved bytes.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString, StandardFonts, degrees, type PDFRef } from 'pdf-lib';

export interface FixturePage {
  size?: [number, number];
  rotate?: 0 | 90 | 180 | 270;
  /** [x, y, width, height] */
  cropBox?: [number, number, number, number];
  mediaBox?: [number, number, number, number];
  text?: string;
}

export interface FixtureOptions {
  pages?: FixturePage[];
  /** Empty signature fields: name, 0-based page, rect [x1 y1 x2 y2] in user space. */
  sigFields?: { name: string; page: number; rect: [number, number, number, number]; parent?: string; lock?: { action: 'All' | 'Include' | 'Exclude'; fields?: string[] } }[];
  /** Text fields (pdf-lib's form API): name, 0-based page, rect [x y w h], value. */
  textFields?: { name: string; page: number; rect: [number, number, number, number]; value: string }[];
  pdfa?: { part: number; conformance: string };
  /** A catalog /Perms /DocMDP with this P (the signature itself is a placeholder: for inspection). */
  docMdp?: 1 | 2 | 3;
  objectStreams?: boolean;
}

export async function makeFixturePdf(o: FixtureOptions = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const [i, p] of (o.pages ?? [{}]).entries()) {
    const page = doc.addPage(p.size ?? [595, 842]);
    if (p.mediaBox) page.setMediaBox(...p.mediaBox);
    if (p.cropBox) page.setCropBox(...p.cropBox);
    if (p.rotate) page.setRotation(degrees(p.rotate));
    page.drawText(p.text ?? `Fixture page ${i + 1}`, { x: (p.mediaBox?.[0] ?? 0) + 60, y: (p.mediaBox?.[1] ?? 0) + 300, size: 14, font });
  }
  const ctx = doc.context;
  for (const t of o.textFields ?? []) {
    const tf = doc.getForm().createTextField(t.name);
    tf.setText(t.value);
    tf.addToPage(doc.getPage(t.page), { x: t.rect[0], y: t.rect[1], width: t.rect[2], height: t.rect[3] });
  }
  if (o.sigFields?.length) {
    const fields: PDFRef[] = [];
    const parents = new Map<string, { ref: PDFRef; kids: PDFRef[] }>();
    for (const f of o.sigFields) {
      const page = doc.getPage(f.page);
      const widget = ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFString.of(f.name), Rect: f.rect, F: 4, P: page.ref });
      if (f.lock) {
        const lock = ctx.obj({ Type: 'SigFieldLock', Action: f.lock.action, ...(f.lock.fields ? { Fields: f.lock.fields.map((x) => PDFString.of(x)) } : {}) });
        widget.set(PDFName.of('Lock'), ctx.register(lock));
      }
      const ref = ctx.register(widget);
      page.node.addAnnot(ref);
      if (f.parent) {
        let parent = parents.get(f.parent);
        if (!parent) {
          const pref = ctx.register(ctx.obj({ T: PDFString.of(f.parent), Kids: [] }));
          parent = { ref: pref, kids: [] };
          parents.set(f.parent, parent);
          fields.push(pref);
        }
        parent.kids.push(ref);
        widget.set(PDFName.of('Parent'), parent.ref);
      } else fields.push(ref);
    }
    for (const p of parents.values()) ctx.lookup(p.ref, PDFDict).set(PDFName.of('Kids'), ctx.obj(p.kids));
    const existing = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
    if (existing) {
      const arr = existing.lookup(PDFName.of('Fields'), PDFArray);
      for (const f of fields) arr.push(f);
    } else doc.catalog.set(PDFName.of('AcroForm'), ctx.register(ctx.obj({ Fields: fields, SigFlags: 0 })));
  }
  if (o.pdfa) {
    const xmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>${o.pdfa.part}</pdfaid:part><pdfaid:conformance>${o.pdfa.conformance}</pdfaid:conformance></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
    const stream = ctx.stream(xmp, { Type: 'Metadata', Subtype: 'XML' });
    doc.catalog.set(PDFName.of('Metadata'), ctx.register(stream));
  }
  if (o.docMdp) {
    const sig = ctx.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'ETSI.CAdES.detached',
      Reference: [{ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: o.docMdp, V: PDFName.of('1.2') } }],
    });
    doc.catalog.set(PDFName.of('Perms'), ctx.obj({ DocMDP: ctx.register(sig) }));
  }
  return Buffer.from(await doc.save({ useObjectStreams: o.objectStreams ?? false }));
}
