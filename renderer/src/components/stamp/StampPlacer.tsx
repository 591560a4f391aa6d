/**
 * Where the visible signature goes (issue 12 §2): a new box drawn on the page of the user's choice
 * (drag to move, corner to resize, drag anywhere on a page to draw it there, or type the numbers),
 * or one of the empty signature fields the PDF already has (a form's "Signature:" box), outlined
 * on its page. The preview is the first PDF of the batch; the placement applies to every PDF.
 */
import { useId } from 'react';
import type { FileCheck, FileRef, PageRect, SignatureFieldInfo, StampPlacement } from '../../../../electron/api';
import { useI18n } from '../../i18n';
import { fileByteSource } from '../../lib/pdf/byte-source';
import { PdfPreview } from '../preview/PdfPreview';
import { clampRect, rectToCss, resolvePage } from './geometry';
import { StampRectEditor } from './StampRectEditor';

export interface StampPlacerProps {
  file: FileRef;
  check: FileCheck;
  placement: StampPlacement;
  onChange(p: StampPlacement): void;
}

export function StampPlacer({ file, check, placement, onChange }: StampPlacerProps) {
  const { t } = useI18n();
  const ids = { mode: useId(), page: useId() };
  const pages = check.pdf?.pages ?? [];
  const fields = check.pdf?.emptyFields ?? [];
  const pageCount = pages.length;
  const shownPage = resolvePage(placement.page, pageCount);
  const pageSize = pages[shownPage - 1] ?? { width: 595, height: 842 };
  const field = placement.field ? fields.find((f) => f.name === placement.field) : undefined;
  const source = fileByteSource(file.id, file.size);

  const setRect = (page: number, rect: PageRect): void => onChange({ page, rect });
  const chooseField = (f: SignatureFieldInfo): void => onChange({ page: f.page, rect: f.rect, field: f.name });
  const setNumber = (key: keyof PageRect, value: number): void => {
    if (!Number.isFinite(value)) return;
    onChange({ page: placement.page, rect: clampRect({ ...placement.rect, [key]: value }, pageSize) });
  };

  return (
    <div className="placement" data-testid="stamp-placer">
      <div>
        <PdfPreview
          source={source}
          label={file.name}
          width={460}
          maxHeight={640}
          focusPage={field ? field.page : shownPage}
          overlay={(n, size, scale) =>
            placement.field !== undefined ? (
              <FieldOutlines fields={fields.filter((f) => f.page === n)} chosen={placement.field} pageHeight={size.height} scale={scale} onChoose={chooseField} />
            ) : (
              <StampRectEditor
                page={size}
                scale={scale}
                pageNumber={n}
                rect={n === shownPage ? placement.rect : null}
                onChange={(rect) => setRect(n === pageCount && placement.page === 0 ? 0 : n, rect)}
              />
            )
          }
        />
      </div>
      <div className="placement-controls">
        {fields.length > 0 && (
          <fieldset className="field">
            <legend className="field-label">{t('stamp.where')}</legend>
            <label className="radio">
              <input type="radio" name={ids.mode} checked={placement.field === undefined} onChange={() => onChange({ page: placement.page, rect: placement.rect })} />
              {t('stamp.mode.rect')}
            </label>
            <label className="radio">
              <input type="radio" name={ids.mode} checked={placement.field !== undefined} onChange={() => chooseField(fields[0]!)} />
              {t('stamp.mode.field', { n: fields.length })}
            </label>
          </fieldset>
        )}
        {placement.field !== undefined ? (
          <fieldset className="field" data-testid="field-list">
            <legend className="field-label">{t('stamp.fields')}</legend>
            {fields.map((f) => (
              <label key={f.name} className="radio">
                <input type="radio" name={`${ids.mode}-f`} checked={placement.field === f.name} onChange={() => chooseField(f)} />
                {t('stamp.fieldOnPage', { name: f.name, page: f.page })}
              </label>
            ))}
            <span className="field-hint">{t('stamp.fieldHint')}</span>
          </fieldset>
        ) : (
          <>
            <label className="field" htmlFor={ids.page}>
              <span className="field-label">{t('stamp.page')}</span>
              <select id={ids.page} className="input" value={placement.page} onChange={(e) => onChange({ page: Number(e.target.value), rect: clampRect(placement.rect, pages[resolvePage(Number(e.target.value), pageCount) - 1] ?? pageSize) })}>
                <option value={0}>{t('stamp.lastPage', { n: pageCount })}</option>
                {pages.map((_, i) => (
                  <option key={i + 1} value={i + 1}>
                    {t('stamp.pageN', { n: i + 1 })}
                  </option>
                ))}
              </select>
            </label>
            <div className="rect-inputs">
              {(['x', 'y', 'width', 'height'] as const).map((k) => (
                <label key={k} className="field">
                  <span className="field-label">{t(`stamp.${k}`)}</span>
                  <input className="input" type="number" step={1} min={0} value={Math.round(placement.rect[k])} onChange={(e) => setNumber(k, Number(e.target.value))} />
                </label>
              ))}
            </div>
            <p className="field-hint" id="stamp-keys-hint">
              {t('stamp.hint')}
            </p>
          </>
        )}
      </div>
    </div>
  );
}

function FieldOutlines({ fields, chosen, pageHeight, scale, onChoose }: { fields: SignatureFieldInfo[]; chosen: string | undefined; pageHeight: number; scale: number; onChoose(f: SignatureFieldInfo): void }) {
  const { t } = useI18n();
  return (
    <>
      {fields.map((f) => {
        const box = rectToCss(f.rect, pageHeight, scale);
        return (
          <button
            key={f.name}
            type="button"
            className={`field-outline${chosen === f.name ? ' is-chosen' : ''}`}
            style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
            onClick={() => onChoose(f)}
            aria-pressed={chosen === f.name}
            aria-label={t('stamp.fieldOnPage', { name: f.name, page: f.page })}
          >
            <span className="field-outline-name">{f.name}</span>
          </button>
        );
      })}
    </>
  );
}
