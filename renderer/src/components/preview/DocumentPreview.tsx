/**
 * What is signed, shown: PDF pages, text as text, and for any other type its type and size with
 * a plain "Signet cannot show this file type" — never a blank box that could pass for a preview.
 */
import type { ReactNode } from 'react';
import type { FileKind } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import type { ByteSource } from '../../lib/pdf/byte-source';
import type { PageSize } from './PdfPage';
import { PdfPreview } from './PdfPreview';
import { TextPreview } from './TextPreview';

export interface DocumentPreviewProps {
  kind: FileKind;
  name: string;
  source: ByteSource;
  width?: number;
  maxHeight?: number;
  overlay?: (pageNumber: number, size: PageSize, scale: number) => ReactNode;
  focusPage?: number;
}

export function DocumentPreview({ kind, name, source, width, maxHeight, overlay, focusPage }: DocumentPreviewProps) {
  const { t, formatBytes } = useI18n();
  switch (kind) {
    case 'pdf':
      return (
        <PdfPreview
          source={source}
          label={name}
          {...(width ? { width } : {})}
          {...(maxHeight ? { maxHeight } : {})}
          {...(overlay ? { overlay } : {})}
          {...(focusPage ? { focusPage } : {})}
        />
      );
    case 'text':
      return <TextPreview source={source} label={name} />;
    case 'signature':
    case 'other':
      return (
        <p className="notice notice-info" data-testid="no-preview">
          {t('preview.cannotShow', { type: fileTypeLabel(t, name), size: formatBytes(source.size) })}
        </p>
      );
  }
}

/** "PNG file", "file without extension": what the user recognises. */
export function fileTypeLabel(t: ReturnType<typeof useI18n>['t'], name: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return m ? t('preview.typeExt', { ext: m[1]!.toUpperCase() }) : t('preview.typeNone');
}
