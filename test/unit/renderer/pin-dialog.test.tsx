// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PinDialog } from '../../../renderer/src/components/PinDialog';
import { I18nProvider } from '../../../renderer/src/i18n';
import { pinRequest } from './fixtures';

afterEach(cleanup);

function renderDialog(props: Partial<Parameters<typeof PinDialog>[0]> & { request: Parameters<typeof PinDialog>[0]['request'] }, lang: 'en' | 'fr' = 'en') {
  const onSubmit = props.onSubmit ?? vi.fn(async () => null);
  const onCancel = props.onCancel ?? vi.fn();
  const utils = render(
    <I18nProvider lang={lang}>
      <PinDialog {...props} onSubmit={onSubmit} onCancel={onCancel} />
    </I18nProvider>,
  );
  return { ...utils, onSubmit, onCancel };
}

const pinInput = (): HTMLInputElement => screen.getByLabelText(/PIN$/) as HTMLInputElement;

describe('PIN dialog — what and for whom (issue 8 §3)', () => {
  it('a batch: "Sign 3 documents" with the names, the signing PIN, this action only', () => {
    renderDialog({ request: pinRequest({ action: { purpose: 'sign-documents', documents: ['a.pdf', 'b.pdf', 'c.txt'] } }) });
    expect(screen.getByRole('alertdialog', { name: 'Sign 3 documents' })).toBeTruthy();
    expect([...screen.getByTestId('pin-documents').querySelectorAll('li')].map((li) => li.textContent)).toEqual(['a.pdf', 'b.pdf', 'c.txt']);
    expect(screen.getByLabelText('Signing PIN')).toBeTruthy();
    expect(screen.getByTestId('pin-scope').textContent).toMatch(/only this signing/);
  });

  it('a web login: "Log in to portal.example", the authentication PIN, signs nothing', () => {
    renderDialog({ request: pinRequest({ action: { purpose: 'authenticate', origin: 'https://portal.example' } }) });
    expect(screen.getByRole('alertdialog', { name: 'Log in to portal.example' })).toBeTruthy();
    expect(screen.getByTestId('pin-site').textContent).toBe('portal.example');
    expect(screen.getByLabelText('Authentication PIN')).toBeTruthy();
    expect(screen.getByTestId('pin-scope').textContent).toMatch(/It signs nothing/);
  });

  it('a page’s digest: "Sign data for portal.example"; a page-chosen name is shown escaped', () => {
    renderDialog({ request: pinRequest({ action: { purpose: 'sign-data', origin: 'https://portal.example:8443' } }) });
    expect(screen.getByRole('alertdialog', { name: 'Sign data for portal.example:8443' })).toBeTruthy();
    cleanup();
    renderDialog({ request: pinRequest({ action: { purpose: 'sign-documents', origin: 'https://portal.example', documents: ['login-\u202Etxt.exe'] } }) });
    expect(screen.getByRole('alertdialog', { name: 'Sign login-⟨U+202E⟩txt.exe for portal.example' })).toBeTruthy();
  });

  it('a TLS portal login on a PIN pad: the action, the countdown', () => {
    renderDialog({ request: pinRequest({ pinPad: true, action: { purpose: 'tls', origin: 'https://bank.example' } }) });
    expect(screen.getByRole('alertdialog', { name: 'Log in to bank.example' })).toBeTruthy();
    expect(screen.getByTestId('pinpad-countdown').textContent).toBe('30 s left');
  });
});

describe('PIN dialog — typed PIN', () => {
  it('names the token and the certificate, masks the input and applies the token’s length rules', () => {
    renderDialog({ request: pinRequest() });
    expect(screen.getByRole('alertdialog', { name: 'Sign contract.pdf' })).toBeTruthy();
    expect(screen.getByLabelText('Signing PIN')).toBeTruthy();
    expect(screen.getByText('Signet Test A')).toBeTruthy();
    expect(screen.getByText('Alice Signer')).toBeTruthy();
    expect(pinInput().type).toBe('password');
    expect(pinInput().maxLength).toBe(8);
    expect(screen.getByText('4 to 8 characters')).toBeTruthy();
    const confirm = screen.getByRole('button', { name: 'Confirm' }) as HTMLButtonElement;
    fireEvent.change(pinInput(), { target: { value: '123' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(pinInput(), { target: { value: '1234' } });
    expect(confirm.disabled).toBe(false);
  });

  it('submits with Enter and clears the PIN from the input before the call resolves', async () => {
    let resolve!: (v: null) => void;
    const onSubmit = vi.fn(() => new Promise<null>((r) => (resolve = r)));
    renderDialog({ request: pinRequest(), onSubmit });
    fireEvent.change(pinInput(), { target: { value: '123456' } });
    await act(async () => {
      fireEvent.submit(pinInput().form!);
    });
    expect(onSubmit).toHaveBeenCalledWith('req-1', '123456');
    expect(pinInput().value).toBe('');
    await act(async () => resolve(null));
  });

  it('Escape cancels', () => {
    const { onCancel } = renderDialog({ request: pinRequest() });
    fireEvent.keyDown(pinInput(), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledWith('req-1');
  });

  it('shows the caps-lock hint while Caps Lock is on', () => {
    renderDialog({ request: pinRequest() });
    expect(screen.queryByText(/Caps Lock is on/)).toBeNull();
    fireEvent.keyDown(pinInput(), { key: 'A', modifierCapsLock: true });
    expect(screen.getByText(/Caps Lock is on/)).toBeTruthy();
    fireEvent.keyUp(pinInput(), { key: 'A', modifierCapsLock: false });
    expect(screen.queryByText(/Caps Lock is on/)).toBeNull();
  });

  it('after a wrong PIN says how many attempts are left only when the token told', () => {
    const { rerender } = renderDialog({ request: pinRequest({ previousError: { code: 'PIN_INCORRECT', message: 'x', retriesLeft: 2 } }) });
    expect(screen.getByTestId('pin-status').textContent).toBe('Wrong PIN. 2 attempts left before the PIN is locked.');
    rerender(
      <I18nProvider lang="en">
        <PinDialog request={pinRequest({ requestId: 'req-2', previousError: { code: 'PIN_INCORRECT', message: 'x' } })} onSubmit={async () => null} onCancel={() => undefined} />
      </I18nProvider>,
    );
    const status = screen.getByTestId('pin-status').textContent ?? '';
    expect(status).toBe('Wrong PIN.');
    expect(status).not.toMatch(/\d/);
  });

  it('warns about the last attempt (CKF_USER_PIN_FINAL_TRY)', () => {
    renderDialog({ request: pinRequest({ previousError: { code: 'PIN_INCORRECT', message: 'x', finalTry: true } }) });
    expect(screen.getByTestId('pin-status').textContent).toContain('Last attempt');
  });

  it('warns before the first attempt when the token says the count is low', () => {
    renderDialog({ request: pinRequest({}, { pinCountLow: true }) });
    expect(screen.getByTestId('pin-status').textContent).toBe('Few attempts are left before the PIN is locked.');
  });

  it('says when the key needs a PIN for every signature', () => {
    renderDialog({ request: pinRequest({ kind: 'signature' }) });
    expect(screen.getByRole('alertdialog', { name: 'Sign contract.pdf' })).toBeTruthy();
    expect(screen.getByLabelText('Signature PIN')).toBeTruthy();
    expect(screen.getByText('This certificate asks for its PIN for every signature.')).toBeTruthy();
  });

  it('shows main’s refusal (PIN length) and lets the user type again', async () => {
    const onSubmit = vi.fn(async () => ({ code: 'PIN_LEN_RANGE' as const, message: 'len' }));
    renderDialog({ request: pinRequest({}, { minPinLength: 4, maxPinLength: 255 }), onSubmit });
    fireEvent.change(pinInput(), { target: { value: '12345' } });
    await act(async () => {
      fireEvent.submit(pinInput().form!);
    });
    expect(screen.getByText('Check the number of characters your card expects.')).toBeTruthy();
    expect(pinInput().disabled).toBe(false);
  });

  it('is translated (French)', () => {
    renderDialog({ request: pinRequest({ previousError: { code: 'PIN_INCORRECT', message: 'x', retriesLeft: 1 } }) }, 'fr');
    expect(screen.getByRole('alertdialog', { name: 'Signer contract.pdf' })).toBeTruthy();
    expect(screen.getByTestId('pin-status').textContent).toBe('PIN incorrect. Encore 1 essai avant le blocage du PIN.');
  });
});

describe('PIN dialog — locked', () => {
  it('says what to do and offers no retry', () => {
    const { onCancel } = renderDialog({ request: pinRequest({ previousError: { code: 'PIN_LOCKED', message: 'locked' } }) });
    expect(screen.getByRole('alertdialog', { name: 'PIN locked' })).toBeTruthy();
    expect(screen.getByText(/PUK/)).toBeTruthy();
    expect(screen.queryByLabelText('PIN')).toBeNull();
    const buttons = screen.getAllByRole('button').map((b) => b.textContent);
    expect(buttons).toEqual(['Close']);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onCancel).toHaveBeenCalledWith('req-1');
  });

  it('a lockout the token did not flag as a locked PIN (TPM dictionary attack) says to wait, not to use a PUK', () => {
    renderDialog({ request: pinRequest({ previousError: { code: 'PIN_LOCKED', message: 'for now', details: { temporary: true } } }) });
    expect(screen.getByTestId('pin-status').textContent).toMatch(/for now/);
    expect(screen.getByText(/try again later/)).toBeTruthy();
    expect(screen.queryByText(/Unlock it with your PUK/)).toBeNull();
  });
});

describe('PIN dialog — PIN pad', () => {
  it('asks for the PIN on the reader with a countdown and Cancel, and has no input', () => {
    vi.useFakeTimers();
    try {
      let now = 1_000_000;
      const { onCancel } = renderDialog({ request: pinRequest({ pinPad: true, timeoutMs: 30_000 }), now: () => now });
      expect(screen.getByRole('alertdialog', { name: 'Sign contract.pdf' })).toBeTruthy();
      expect(screen.getByText('Enter the PIN on the reader')).toBeTruthy();
      expect(screen.queryByLabelText('PIN')).toBeNull();
      expect(screen.getByTestId('pinpad-countdown').textContent).toBe('30 s left');
      now += 10_000;
      act(() => {
        vi.advanceTimersByTime(300);
      });
      expect(screen.getByTestId('pinpad-countdown').textContent).toBe('20 s left');
      fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
      expect(onCancel).toHaveBeenCalledWith('req-1');
    } finally {
      vi.useRealTimers();
    }
  });
});
