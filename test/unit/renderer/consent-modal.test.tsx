// @vitest-environment jsdom
/**
 * The consent modal against click-jacking and disguised names (issue 8 §4, §5): inert buttons for
 * a second after it appears or changes, page-chosen names with bidi/control characters made
 * visible and cut, a cut text preview that says so and loads the rest, and a first contact as
 * one dialog with "remember this site". Plus the display-safe helper itself.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsentRequestView, SignetApi } from '../../../electron/api';
import { ARM_DELAY_MS, ConsentModal } from '../../../renderer/src/components/ConsentModal';
import { I18nProvider } from '../../../renderer/src/i18n';
import { displaySafe } from '../../../renderer/src/lib/display-safe';
import { cert } from './fixtures';

let calls: { method: string; arg: unknown }[];
let answer: (method: string, arg: unknown) => unknown;

beforeEach(() => {
  calls = [];
  answer = () => ({ ok: true, value: undefined });
  const api = {
    call: vi.fn(async (method: string, arg?: unknown) => {
      calls.push({ method, arg });
      return answer(method, arg);
    }),
    on: vi.fn(() => () => undefined),
    filesFromDrop: vi.fn(),
  } as unknown as SignetApi;
  Object.defineProperty(window, 'signet', { value: api, configurable: true });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const wrap = (ui: React.ReactNode) => render(<I18nProvider lang="en">{ui}</I18nProvider>);

function request(over: Partial<ConsentRequestView> = {}): ConsentRequestView {
  return {
    requestId: 'r1',
    origin: 'https://portal.example',
    originParts: { scheme: 'https', host: 'portal.example', unicodeHost: 'portal.example', port: '443', isIdn: false },
    operation: 'sign-document',
    document: { name: 'application.pdf', size: 1234, format: 'pades', sha256: 'cd'.repeat(32) },
    candidates: [cert()],
    expiresAt: new Date(Date.now() + 120_000).toISOString(),
    ...over,
  };
}

describe('displaySafe', () => {
  it('shows bidi overrides and isolates as visible escapes instead of applying them', () => {
    expect(displaySafe('login-\u202Etxt.exe').text).toBe('login-⟨U+202E⟩txt.exe');
    expect(displaySafe('a\u2067b\u2069c\u200Fd').text).toBe('a⟨U+2067⟩b⟨U+2069⟩c⟨U+200F⟩d');
    expect(displaySafe('plain.pdf')).toEqual({ text: 'plain.pdf', escaped: false, truncated: false });
  });
  it('escapes controls and invisible characters; keeps new lines only in multi-line text', () => {
    expect(displaySafe('a\u0000b\u200Bc\uFEFF').text).toBe('a⟨U+0000⟩b⟨U+200B⟩c⟨U+FEFF⟩');
    expect(displaySafe('l1\nl2').text).toBe('l1⟨U+000A⟩l2');
    expect(displaySafe('l1\nl2\u202E', { multiline: true }).text).toBe('l1\nl2⟨U+202E⟩');
  });
  it('cuts at max characters (whole code points) and says so', () => {
    const r = displaySafe('😀'.repeat(10), { max: 4 });
    expect(r).toEqual({ text: '😀😀😀😀…', escaped: false, truncated: true });
    expect(displaySafe('x'.repeat(500)).text).toHaveLength(201);
  });
});

describe('ConsentModal', () => {
  it('ignores clicks for ARM_DELAY_MS after it appears, then answers', async () => {
    vi.useFakeTimers();
    wrap(<ConsentModal request={request()} snapshot={null} onDone={() => undefined} />);
    const approve = screen.getByRole('button', { name: 'Sign' });
    expect(approve.getAttribute('aria-disabled')).toBe('true');
    await act(async () => fireEvent.click(approve));
    await act(async () => void vi.advanceTimersByTime(ARM_DELAY_MS - 100));
    await act(async () => fireEvent.click(approve));
    expect(calls).toEqual([]);
    await act(async () => void vi.advanceTimersByTime(150));
    expect(approve.getAttribute('aria-disabled')).toBe('false');
    await act(async () => fireEvent.click(approve));
    expect(calls).toEqual([{ method: 'consent.respond', arg: { requestId: 'r1', decision: { approve: true, certUri: cert().uri } } }]);
  });

  it('becomes inert again when the request changes or the window comes back to the front', async () => {
    vi.useFakeTimers();
    const view = wrap(<ConsentModal key="r1" request={request()} snapshot={null} onDone={() => undefined} />);
    await act(async () => void vi.advanceTimersByTime(ARM_DELAY_MS + 10));
    expect(screen.getByRole('button', { name: 'Sign' }).getAttribute('aria-disabled')).toBe('false');
    // The app keys the modal by requestId: the next request is a fresh, inert dialog.
    view.rerender(
      <I18nProvider lang="en">
        <ConsentModal key="r2" request={request({ requestId: 'r2', origin: 'https://other.example' })} snapshot={null} onDone={() => undefined} />
      </I18nProvider>,
    );
    const approve = screen.getByRole('button', { name: 'Sign' });
    expect(approve.getAttribute('aria-disabled')).toBe('true');
    await act(async () => fireEvent.click(approve));
    expect(calls).toEqual([]);
    await act(async () => void vi.advanceTimersByTime(ARM_DELAY_MS + 10));
    await act(async () => void window.dispatchEvent(new Event('focus')));
    expect(approve.getAttribute('aria-disabled')).toBe('true');
  });

  it('shows a bidi document name escaped and isolated, with a warning; long names cut', () => {
    wrap(<ConsentModal request={request({ document: { name: 'login-\u202Etxt.exe', size: 10, format: 'cades', sha256: 'ab'.repeat(32) } })} snapshot={null} onDone={() => undefined} />);
    const name = screen.getByTestId('consent-document-name');
    expect(name.tagName).toBe('BDI');
    expect(name.textContent).toBe('login-⟨U+202E⟩txt.exe');
    expect(screen.getByText(/hidden or direction-changing characters/)).toBeTruthy();
    cleanup();
    wrap(<ConsentModal request={request({ document: { name: `${'a'.repeat(300)}.pdf`, size: 10, format: 'pades', sha256: 'ab'.repeat(32) } })} snapshot={null} onDone={() => undefined} />);
    expect(screen.getByTestId('consent-document-name').textContent).toBe(`${'a'.repeat(120)}…`);
  });

  it('a cut text preview says so and loads the rest on request', async () => {
    answer = (method) => (method === 'consent.documentText' ? { ok: true, value: { text: ' and the rest', nextOffset: 20 } } : { ok: true, value: undefined });
    wrap(<ConsentModal request={request({ document: { name: 'a.txt', size: 20, format: 'cades', sha256: 'ab'.repeat(32), previewText: 'first part', previewBytes: 10 } })} snapshot={null} onDone={() => undefined} />);
    expect(screen.getByTestId('consent-preview').textContent).toBe('first part');
    expect(screen.getByTestId('consent-preview-cut').textContent).toContain('Showing the first 10 B of 20 B');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show more' })));
    expect(calls).toEqual([{ method: 'consent.documentText', arg: { requestId: 'r1', offset: 10 } }]);
    expect(screen.getByTestId('consent-preview').textContent).toBe('first part and the rest');
    expect(screen.queryByTestId('consent-preview-cut')).toBeNull();
  });

  it('a first contact is one dialog: allow the site and sign, with "remember this site"', async () => {
    vi.useFakeTimers();
    wrap(<ConsentModal request={request({ firstContact: true })} snapshot={null} onDone={() => undefined} />);
    expect(screen.getByRole('alertdialog', { name: 'Allow portal.example and sign application.pdf?' })).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: /Remember this website/ }));
    await act(async () => void vi.advanceTimersByTime(ARM_DELAY_MS + 10));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Allow and sign' })));
    expect(calls).toEqual([{ method: 'consent.respond', arg: { requestId: 'r1', decision: { approve: true, remember: true, certUri: cert().uri } } }]);
  });

  it('an allowed site’s request has no "remember" and never sends it', () => {
    wrap(<ConsentModal request={request()} snapshot={null} onDone={() => undefined} />);
    expect(screen.queryByRole('checkbox', { name: /Remember this website/ })).toBeNull();
    expect(screen.getByRole('alertdialog', { name: 'A website asks you to sign a document' })).toBeTruthy();
  });
});
