// @vitest-environment jsdom
/**
 * The verify view's signature panel shows what core reports about long-term validation: the
 * baseline level, the embedded revocation status (good / revoked / incomplete / not present),
 * and a document time-stamp as such — in English and French.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignatureReport } from '../../../electron/api';
import { SignaturePanel } from '../../../renderer/src/components/verify/SignaturePanel';
import { I18nProvider } from '../../../renderer/src/i18n';

afterEach(cleanup);

function report(over: Partial<SignatureReport> = {}): SignatureReport {
  return {
    index: 1,
    format: 'pades',
    signer: 'Alice Example',
    integrity: true,
    chain: { trusted: true, certificates: [], problems: [] },
    purposes: ['signing'],
    valid: true,
    errors: [],
    warnings: [],
    kind: 'signature',
    ...over,
  };
}

describe('SignaturePanel: level and revocation', () => {
  it('B-LT with good embedded revocation data', () => {
    render(
      <I18nProvider lang="en">
        <SignaturePanel sig={report({ level: 'B-LT', revocation: { status: 'good', certificates: [{ subject: 'CN=Alice', status: 'good', source: 'ocsp', errors: [] }] } })} total={1} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('sig-level').textContent).toBe('Long-term (B-LT): validation data embedded');
    expect(screen.getByTestId('sig-revocation').textContent).toMatch(/^Not revoked at the signing time/);
  });

  it('B-T without material says "not checked"; revoked is shown as such (French)', () => {
    const { unmount } = render(
      <I18nProvider lang="en">
        <SignaturePanel sig={report({ level: 'B-T' })} total={1} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('sig-revocation').textContent).toBe('Not checked');
    unmount();
    render(
      <I18nProvider lang="fr">
        <SignaturePanel sig={report({ level: 'B-T', valid: false, revocation: { status: 'revoked', certificates: [] } })} total={1} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('sig-level').textContent).toBe('Horodaté (B-T)');
    expect(screen.getByTestId('sig-revocation').textContent).toBe('Révoqué avant la date de signature');
  });

  it('a document time-stamp is titled as one and has no revocation row', () => {
    render(
      <I18nProvider lang="en">
        <SignaturePanel sig={report({ kind: 'doc-timestamp', signer: 'Signet Test TSA' })} total={2} />
      </I18nProvider>,
    );
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe('Document time-stamp by Signet Test TSA');
    expect(screen.queryByTestId('sig-revocation')).toBeNull();
  });
});
