/**
 * The document a web page asks Signet to sign, shown in the consent dialog (issue 12 §1): PDF
 * pages (read by ranges from the API's spool file while the request is shown), or for a type
 * Signet cannot draw, its type and size with a plain "Signet cannot show this file type". Text
 * documents are shown by the dialog's own text preview.
 */
import { useEffect, useState } from 'react';
import type { ConsentDocument } from '../../../../electron/api';
import { consentByteSource } from '../../lib/pdf/byte-source';
import { DocumentPreview } from './DocumentPreview';

export function ConsentDocumentPreview({ requestId, document: doc, name }: { requestId: string; document: ConsentDocument; name: string }) {
  const source = consentByteSource(requestId, doc.size);
  const [kind, setKind] = useState<'pdf' | 'other' | null>(doc.format === 'pades' ? 'pdf' : null);
  useEffect(() => {
    // Text documents are shown by the dialog's own preview: nothing to sniff.
    if (kind !== null || doc.previewText !== undefined) return;
    let live = true;
    // A CAdES request may still carry a PDF: the header decides (ISO 32000-1 §7.5.2).
    source.read(0, Math.min(1024, doc.size)).then(
      (head) => live && setKind(new TextDecoder('latin1').decode(head).includes('%PDF-') ? 'pdf' : 'other'),
      () => live && setKind('other'),
    );
    return () => {
      live = false;
    };
    // The request id identifies the document.
  }, [requestId]);
  if (doc.previewText !== undefined || kind === null) return null;
  return (
    <div data-testid="consent-document-preview">
      <DocumentPreview kind={kind} name={name} source={source} width={380} maxHeight={360} />
    </div>
  );
}
