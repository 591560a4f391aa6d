// @vitest-environment jsdom
/**
 * Component tests for the consent modal and the change-PIN dialog. `window.signet` is a recording
 * stand-in for the preload boundary: the tests check what the components send through it.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsentRequestView, SignetApi } from '../../../electron/api';
import { ChangePinDialog } from '../../../renderer/src/components/ChangePinDialog';
import { ARM_DELAY_MS, ConsentModal } from '../../../renderer/src/components/ConsentModal';
import { I18nProvider } from '../../../renderer/src/i18n';
import { cert, snapshot, token } from './fixtures';

let calls: { method: string; arg: unknown }[];
let answer: (method: string) => unknown;

beforeEach(() => {
  calls = [];
  answer = () => ({ ok: true, value: undefined });
  const api = {
    call: vi.fn(async (method: string, arg?: unknown) => {
      calls.push({ method, arg });
      return answer(method);
    }),
    on: vi.fn(() => () => undefined),
    filesFromDrop: vi.fn(),
  } as unknown as SignetApi;
  Object.defineProperty(window, 'signet', { value: api, configurable: true });
});
afterEach(cleanup);

const wrap = (ui: React.ReactNode) => render(<I18nProvider lang="en">{ui}</I18nProvider>);
/** The consent buttons answer only once armed (ConsentModal.ARM_DELAY_MS after it appears). */
const armed = () => act(async () => void (await new Promise((r) => setTimeout(r, ARM_DELAY_MS + 50))));

function consent(over: Partial<ConsentRequestView> = {}): ConsentRequestView {
  return {
    requestId: 'c1',
    origin: 'https://portal.example:8443',
    originParts: { scheme: 'https', host: 'portal.example', unicodeHost: 'portal.example', port: '8443', isIdn: false },
    operation: 'sign-hash',
    hash: { algorithm: 'sha256', hex: 'ab'.repeat(32) },
    certificate: cert(),
    expiresAt: new Date(Date.now() + 120_000).toISOString(),
    ...over,
  };
}

describe('ConsentModal', () => {
  it('names the origin with its non-default port, shows the hash in groups and the certificate; Deny answers approve=false', async () => {
    const onDone = vi.fn();
    wrap(<ConsentModal request={consent()} snapshot={snapshot([token()], [])} onDone={onDone} />);
    expect(screen.getByTestId('consent-origin').textContent).toBe('https://portal.example:8443');
    expect(screen.getByText(`${'abababab '.repeat(7)}abababab`)).toBeTruthy();
    expect(screen.getByText('Alice Signer')).toBeTruthy();
    await armed();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Deny' })));
    expect(calls).toEqual([{ method: 'consent.respond', arg: { requestId: 'c1', decision: { approve: false } } }]);
    expect(onDone).toHaveBeenCalled();
  });

  it('says so when no certificate fits, and cannot be approved', () => {
    wrap(<ConsentModal request={consent({ operation: 'share-certificate', certificate: undefined, hash: undefined, candidates: [], acceptableIssuers: ['CN=Other CA'] })} snapshot={null} onDone={() => undefined} />);
    expect(screen.getByText('None of your certificates was issued by an authority this website accepts.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Share certificate' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('needs a choice among candidates before approving, and sends the chosen one', async () => {
    const a = cert({ uri: 'pkcs11:id=%0A;type=cert', displayName: 'Cert A', fingerprintSha256: '0a'.repeat(32) });
    const b = cert({ uri: 'pkcs11:id=%0B;type=cert', displayName: 'Cert B', fingerprintSha256: '0b'.repeat(32) });
    wrap(<ConsentModal request={consent({ operation: 'authenticate', certificate: undefined, hash: undefined, candidates: [a, b] })} snapshot={null} onDone={() => undefined} />);
    const approve = screen.getByRole('button', { name: 'Log in' }) as HTMLButtonElement;
    expect(approve.disabled).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Cert B' }));
    expect(approve.disabled).toBe(false);
    await armed();
    await act(async () => fireEvent.click(approve));
    expect(calls[0]).toEqual({ method: 'consent.respond', arg: { requestId: 'c1', decision: { approve: true, certUri: 'pkcs11:id=%0B;type=cert' } } });
  });

  it('warns about IDN and plain http origins', () => {
    wrap(
      <ConsentModal
        request={consent({ origin: 'http://xn--bcher-kva.example', originParts: { scheme: 'http', host: 'xn--bcher-kva.example', unicodeHost: 'bücher.example', port: '80', isIdn: true } })}
        snapshot={null}
        onDone={() => undefined}
      />,
    );
    expect(screen.getByTestId('consent-origin').textContent).toBe('http://bücher.example');
    expect(screen.getByText('xn--bcher-kva.example')).toBeTruthy();
    expect(screen.getByText('This website does not use a secure connection.')).toBeTruthy();
  });
});

describe('ChangePinDialog', () => {
  const tk = token({ minPinLength: 4, maxPinLength: 8, label: 'Card A' });
  const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

  it('applies the token’s length rules, needs the confirmation to match and a different PIN', () => {
    wrap(<ChangePinDialog token={tk} onClose={() => undefined} />);
    const submit = screen.getByRole('button', { name: 'Change PIN' }) as HTMLButtonElement;
    expect(screen.getByText('4 to 8 characters')).toBeTruthy();
    type('Current PIN', '1234');
    type('New PIN', '5678');
    type('New PIN again', '5679');
    expect(screen.getByText('The two new PINs differ.')).toBeTruthy();
    expect(submit.disabled).toBe(true);
    type('New PIN again', '5678');
    expect(submit.disabled).toBe(false);
    type('New PIN', '1234');
    type('New PIN again', '1234');
    expect(screen.getByText('The new PIN must differ from the current one.')).toBeTruthy();
    expect(submit.disabled).toBe(true);
    expect((screen.getByLabelText('New PIN') as HTMLInputElement).maxLength).toBe(8);
  });

  it('sends both PINs once, clears the fields at once, and shows the token’s refusal', async () => {
    answer = () => ({ ok: false, error: { code: 'PIN_INCORRECT', message: 'x', finalTry: true } });
    const onClose = vi.fn();
    wrap(<ChangePinDialog token={tk} onClose={onClose} />);
    type('Current PIN', '1111');
    type('New PIN', '2222');
    type('New PIN again', '2222');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Change PIN' })));
    expect(calls).toEqual([{ method: 'tokens.changePin', arg: { tokenUri: tk.uri, oldPin: '1111', newPin: '2222' } }]);
    expect((screen.getByLabelText('Current PIN') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('New PIN') as HTMLInputElement).value).toBe('');
    expect(screen.getByRole('alert').textContent).toContain('Last attempt');
    expect(onClose).not.toHaveBeenCalled();
  });
});
