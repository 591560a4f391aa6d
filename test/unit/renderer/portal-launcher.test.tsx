// @vitest-environment jsdom
/**
 * The portal section (issue 9): open portal windows each get "Switch identity", Linux's NSS
 * registration is shown with the button that removes it, and in the browser harness (no portal
 * support: tls.status fails) only the form shows.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PortalStatus, PortalSummary, SignetApi } from '../../../electron/api';
import { PortalLauncher } from '../../../renderer/src/components/PortalLauncher';
import { I18nProvider } from '../../../renderer/src/i18n';

let calls: { method: string; arg: unknown }[];
let status: PortalStatus | null;
let emitChanged: ((p: { portals: PortalSummary[] }) => void) | null;

beforeEach(() => {
  calls = [];
  emitChanged = null;
  const api = {
    call: vi.fn(async (method: string, arg?: unknown) => {
      calls.push({ method, arg });
      if (method === 'tls.status') return status ? { ok: true, value: status } : { ok: false, error: { code: 'INVALID_INPUT', message: 'desktop only', retriable: false } };
      if (method === 'tls.unregisterModules') return { ok: true, value: { removed: ['Signet: opensc-pkcs11.so'] } };
      return { ok: true, value: undefined };
    }),
    on: vi.fn((event: string, listener: (p: { portals: PortalSummary[] }) => void) => {
      if (event === 'tls.changed') emitChanged = listener;
      return () => undefined;
    }),
    filesFromDrop: vi.fn(),
  } as unknown as SignetApi;
  Object.defineProperty(window, 'signet', { value: api, configurable: true });
});
afterEach(() => cleanup());

const show = async (): Promise<void> => {
  render(
    <I18nProvider lang="en">
      <PortalLauncher />
    </I18nProvider>,
  );
  await act(async () => undefined);
};

describe('PortalLauncher', () => {
  it('lists open portal windows with "Switch identity", following tls.changed', async () => {
    status = { portals: [{ portalId: 'p1', startOrigin: 'https://portal.example', currentOrigin: 'https://idp.example' }], nss: { applies: false, dbDir: null, registered: [] } };
    await show();
    expect(screen.getByText('https://idp.example')).toBeTruthy();
    expect(screen.getByText('(opened at https://portal.example)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Switch identity' }));
    await act(async () => undefined);
    expect(calls.filter((c) => c.method === 'tls.switchIdentity')).toEqual([{ method: 'tls.switchIdentity', arg: { portalId: 'p1' } }]);
    act(() => emitChanged!({ portals: [] }));
    expect(screen.queryByRole('button', { name: 'Switch identity' })).toBeNull();
  });

  it('Linux: shows the modules registered in the NSS database and removes them on request', async () => {
    status = { portals: [], nss: { applies: true, dbDir: '/home/u/.pki/nssdb', registered: ['Signet: opensc-pkcs11.so'] } };
    await show();
    expect(screen.getByText(/Signet’s card modules \(Signet: opensc-pkcs11\.so\) are registered .*\(\/home\/u\/\.pki\/nssdb\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove them' }));
    await act(async () => undefined);
    expect(calls.some((c) => c.method === 'tls.unregisterModules')).toBe(true);
    expect(screen.getByRole('status').textContent).toContain('Removed from the browser certificate database: Signet: opensc-pkcs11.so');
  });

  it('without portal support (browser harness): only the form', async () => {
    status = null;
    await show();
    expect(screen.getByRole('button', { name: 'Open' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Switch identity' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove them' })).toBeNull();
  });
});
