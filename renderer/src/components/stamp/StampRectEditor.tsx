/**
 * The stamp rectangle on one page: drag it to move, drag its corner handle to resize, or draw a
 * new one by dragging on the page. Keyboard: arrows move by 1 pt (Shift: 10 pt), Alt+arrows
 * resize. Everything is converted to displayed-page points (./geometry.ts) and kept on the page.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { PageRect } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { clampRect, cssToRect, rectToCss, type CssBox } from './geometry';

interface Props {
  page: { width: number; height: number };
  scale: number;
  /** The rectangle, when the stamp is on this page. */
  rect: PageRect | null;
  onChange(rect: PageRect): void;
  pageNumber: number;
}

type Drag = { kind: 'move' | 'resize' | 'draw'; startX: number; startY: number; box: CssBox; pointerId: number };

export function StampRectEditor({ page, scale, rect, onChange, pageNumber }: Props) {
  const { t } = useI18n();
  const surface = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);

  const local = (e: PointerEvent): { x: number; y: number } => {
    const r = surface.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const commit = (box: CssBox): void => onChange(clampRect(cssToRect(box, page.height, scale), page));

  const start = (kind: Drag['kind'], e: PointerEvent): void => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    const p = local(e);
    const box = rect && kind !== 'draw' ? rectToCss(rect, page.height, scale) : { left: p.x, top: p.y, width: 0, height: 0 };
    drag.current = { kind, startX: p.x, startY: p.y, box, pointerId: e.pointerId };
    surface.current?.setPointerCapture(e.pointerId);
  };
  const move = (e: PointerEvent): void => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    const p = local(e);
    const dx = p.x - d.startX;
    const dy = p.y - d.startY;
    if (d.kind === 'move') commit({ ...d.box, left: d.box.left + dx, top: d.box.top + dy });
    else if (d.kind === 'resize') commit({ ...d.box, width: d.box.width + dx, height: d.box.height + dy });
    else commit({ left: Math.min(d.startX, p.x), top: Math.min(d.startY, p.y), width: Math.abs(dx), height: Math.abs(dy) });
  };
  const end = (e: PointerEvent): void => {
    if (drag.current?.pointerId === e.pointerId) drag.current = null;
  };

  const onKey = (e: KeyboardEvent): void => {
    if (!rect) return;
    const step = e.shiftKey ? 10 : 1;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[e.key];
    if (!d) return;
    e.preventDefault();
    const [dx, dy] = d as [number, number];
    if (e.altKey) onChange(clampRect({ ...rect, width: rect.width + dx, height: rect.height - dy }, page));
    else onChange(clampRect({ ...rect, x: rect.x + dx, y: rect.y + dy }, page));
  };

  const box = rect ? rectToCss(rect, page.height, scale) : null;
  return (
    <div
      ref={surface}
      className="stamp-surface"
      style={{ position: 'absolute', inset: 0, cursor: 'crosshair' }}
      onPointerDown={(e) => start('draw', e)}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
      data-testid={`stamp-surface-${pageNumber}`}
    >
      {box && rect && (
        <div
          className="stamp-rect"
          style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
          tabIndex={0}
          role="group"
          aria-label={t('stamp.rectLabel', { page: pageNumber, x: Math.round(rect.x), y: Math.round(rect.y), w: Math.round(rect.width), h: Math.round(rect.height) })}
          aria-describedby="stamp-keys-hint"
          onPointerDown={(e) => start('move', e)}
          onKeyDown={onKey}
          data-testid="stamp-rect"
        >
          <div className="stamp-handle" onPointerDown={(e) => start('resize', e)} data-testid="stamp-handle" aria-hidden="true" />
        </div>
      )}
    </div>
  );
}
