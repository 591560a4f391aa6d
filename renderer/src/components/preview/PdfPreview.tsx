/**
 * Every page of a PDF in a scrolling column (the confirm step, the web consent dialog, the verify
 * view): the page count above, pages rendered as they scroll into view. `overlay` draws on a page
 * (the stamp as it will look, field outlines).
 */
import { useCallback, useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import type { ByteSource } from '../../lib/pdf/byte-source';
import { PdfPage, type PageSize } from './PdfPage';
import { usePdfDocument } from './usePdfDocument';
import './preview.css';

export interface PdfPreviewProps {
  source: ByteSource;
  /** Accessible name of the scroll region (e.g. the file name). */
  label: string;
  width?: number;
  maxHeight?: number;
  overlay?: (pageNumber: number, size: PageSize, scale: number) => ReactNode;
  /** Scroll to this page once it is known. */
  focusPage?: number;
}

export function PdfPreview({ source, label, width = 420, maxHeight = 520, overlay, focusPage }: PdfPreviewProps) {
  const { t } = useI18n();
  const state = usePdfDocument(source);
  const [root, setRoot] = useState<HTMLDivElement | null>(null);
  const [first, setFirst] = useState<PageSize | null>(null);
  const onSize = useCallback((n: number, s: PageSize) => {
    if (n === 1) setFirst(s);
  }, []);
  const scrollRef = useCallback((el: HTMLDivElement | null) => setRoot(el), []);

  if (state.status === 'loading') return <p className="muted preview-status">{t('preview.loading')}</p>;
  if (state.status === 'failed')
    return (
      <p className="notice notice-warning preview-status" data-testid="preview-failed">
        {t('preview.failed')}
      </p>
    );
  const doc = state.doc;
  const estimate = first ?? { width: 595, height: 842 };
  const pages = Array.from({ length: doc.numPages }, (_, i) => i + 1);
  return (
    <div className="pdf-preview" data-testid="pdf-preview" data-pages={doc.numPages}>
      <p className="pdf-preview-count muted">{t('preview.pages', { n: doc.numPages })}</p>
      <div
        ref={scrollRef}
        className="pdf-scroll"
        style={{ maxHeight }}
        tabIndex={0}
        role="region"
        aria-label={t('preview.regionLabel', { name: label, n: doc.numPages })}
      >
        {root &&
          pages.map((n) => (
            <PdfPage
              key={n}
              doc={doc}
              pageNumber={n}
              cssWidth={width}
              estimate={estimate}
              root={root}
              onSize={onSize}
              {...(overlay ? { overlay: (size: PageSize, scale: number) => overlay(n, size, scale) } : {})}
              scrollTo={focusPage === n}
            />
          ))}
      </div>
    </div>
  );
}
