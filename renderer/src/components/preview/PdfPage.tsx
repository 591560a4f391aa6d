/**
 * One page of a PDF, rendered into a canvas only when it comes near the visible part of its
 * scroll container (large PDFs render lazily); until then a placeholder of the right size keeps
 * the scroll position honest. Sizes are the page as displayed (pdf.js applies /Rotate and the
 * CropBox), `scale` CSS pixels per point; an overlay (stamp rectangle, field outlines) is drawn
 * in the same coordinates on top.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
import { useI18n } from '../../i18n';

export interface PageSize {
  /** Points, as displayed. */
  width: number;
  height: number;
}

export interface PdfPageProps {
  doc: PDFDocumentProxy;
  /** 1-based. */
  pageNumber: number;
  /** CSS width the page is drawn at. */
  cssWidth: number;
  /** Size to assume until the page itself is read. */
  estimate: PageSize;
  /** The scroll container (lazy rendering watches visibility inside it); null = always render. */
  root: HTMLElement | null;
  overlay?: (size: PageSize, scale: number) => ReactNode;
  onSize?: (pageNumber: number, size: PageSize) => void;
  /** Scroll the container so this page is at its top (once, when it first mounts). */
  scrollTo?: boolean;
}

export function PdfPage({ doc, pageNumber, cssWidth, estimate, root, overlay, onSize, scrollTo = false }: PdfPageProps) {
  const { t } = useI18n();
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [near, setNear] = useState(root === null);
  const [page, setPage] = useState<PDFPageProxy | null>(null);
  const [size, setSize] = useState<PageSize>(estimate);
  const [state, setState] = useState<'waiting' | 'rendered' | 'failed'>('waiting');
  const scale = cssWidth / size.width;

  useEffect(() => {
    if (root === null || !boxRef.current) return;
    const io = new IntersectionObserver((entries) => setNear(entries.some((e) => e.isIntersecting)), { root, rootMargin: '400px 0px' });
    io.observe(boxRef.current);
    return () => io.disconnect();
  }, [root]);

  useEffect(() => {
    const box = boxRef.current;
    if (scrollTo && root && box) root.scrollTop = Math.max(0, box.offsetTop - 8);
  }, [scrollTo, root]);

  useEffect(() => {
    if (!near || page) return;
    let live = true;
    doc.getPage(pageNumber).then(
      (p) => {
        if (!live) return;
        const vp = p.getViewport({ scale: 1 });
        const s = { width: vp.width, height: vp.height };
        setSize(s);
        onSize?.(pageNumber, s);
        setPage(p);
      },
      () => live && setState('failed'),
    );
    return () => {
      live = false;
    };
  }, [near, page, doc, pageNumber, onSize]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!page || !near || !canvas) return;
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const viewport = page.getViewport({ scale: scale * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    const task = page.render({ canvas, viewport });
    task.promise.then(
      () => setState('rendered'),
      (e: unknown) => {
        if ((e as { name?: string })?.name !== 'RenderingCancelledException') setState('failed');
      },
    );
    return () => task.cancel();
  }, [page, near, scale]);

  const label = t('preview.pageOf', { page: pageNumber, n: doc.numPages });
  return (
    <div ref={boxRef} className="pdf-page" style={{ width: cssWidth, height: Math.round(size.height * scale) }} data-page={pageNumber} data-rendered={state === 'rendered' ? 'true' : 'false'}>
      {near && <canvas ref={canvasRef} className="pdf-canvas" role="img" aria-label={label} style={{ width: cssWidth, height: Math.round(size.height * scale) }} />}
      {state === 'failed' && <p className="pdf-page-failed">{t('preview.pageFailed', { page: pageNumber })}</p>}
      {overlay && <div className="pdf-overlay">{overlay(size, scale)}</div>}
      <span className="pdf-page-number" aria-hidden="true">
        {pageNumber}
      </span>
    </div>
  );
}
