// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CertificatePicker } from '../../../renderer/src/components/CertificatePicker';
import { TokenPanel } from '../../../renderer/src/components/TokenPanel';
import { I18nProvider } from '../../../renderer/src/i18n';
import { cert, snapshot, token } from './fixtures';

afterEach(cleanup);

const wrap = (ui: React.ReactNode) => render(<I18nProvider lang="en">{ui}</I18nProvider>);

describe('TokenPanel', () => {
  it('lists tokens with their PIN-state badges and hides uninitialised slots', () => {
    const snap = snapshot(
      [
        token({ uri: 'pkcs11:token=A', label: 'Card A' }, { pinFinalTry: true, protectedAuthPath: true }),
        token({ uri: 'pkcs11:token=B', label: 'Card B' }, { pinLocked: true, pinToBeChanged: true }),
        token({ uri: 'pkcs11:token=C', label: '' }, { tokenInitialized: false }),
      ],
      [cert({ token: 'pkcs11:token=A' })],
    );
    wrap(<TokenPanel snapshot={snap} loading={false} onRefresh={() => undefined} onChangePin={() => undefined} />);
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(2);
    const a = within(items[0]!);
    expect(a.getByText('Card A')).toBeTruthy();
    expect(a.getByText('Last PIN attempt')).toBeTruthy();
    expect(a.getByText('PIN pad reader')).toBeTruthy();
    expect(a.getByText(/1 certificate/)).toBeTruthy();
    const b = within(items[1]!);
    expect(b.getByText('PIN locked')).toBeTruthy();
    expect(b.getByText('PIN must be changed')).toBeTruthy();
    expect((b.getByRole('button', { name: 'Change PIN: Card B' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says what to do when no token is present', () => {
    wrap(<TokenPanel snapshot={snapshot([], [])} loading={false} onRefresh={() => undefined} onChangePin={() => undefined} />);
    expect(screen.getByText('No card or token found')).toBeTruthy();
    expect(screen.getByText(/Insert your smart card/)).toBeTruthy();
  });
});

describe('CertificatePicker (sign mode)', () => {
  const signing = cert({ uri: 'pkcs11:id=%01;type=cert', displayName: 'Alice Signer', fingerprintSha256: '01'.repeat(32), id: '01' });
  const auth = cert({
    uri: 'pkcs11:id=%02;type=cert',
    displayName: 'Alice Auth',
    purposes: ['authentication'],
    fingerprintSha256: '02'.repeat(32),
    id: '02',
    notForSigning: { code: 'KEY_PURPOSE_MISMATCH', message: 'auth' },
  });
  const expired = cert({
    uri: 'pkcs11:id=%03;type=cert',
    displayName: 'Old Signer',
    validity: 'expired',
    daysLeft: -10,
    notAfter: '2020-01-01T00:00:00.000Z',
    fingerprintSha256: '03'.repeat(32),
    id: '03',
    notForSigning: { code: 'CERT_EXPIRED', message: 'expired' },
  });
  const soon = cert({ uri: 'pkcs11:id=%04;type=cert', displayName: 'Soon Signer', validity: 'expiring-soon', daysLeft: 12, fingerprintSha256: '04'.repeat(32), id: '04', keyType: 'EC', keySize: 256, curve: 'P-256' });
  const noKey = cert({ uri: 'pkcs11:id=%05;type=cert', displayName: 'Keyless', hasPrivateKey: false, fingerprintSha256: '05'.repeat(32), id: '05' });
  const snap = snapshot([token()], [auth, signing, expired, soon, noKey]);

  it('only certificates with a signing key are selectable; the others say why', () => {
    const onSelect = vi.fn();
    wrap(<CertificatePicker snapshot={snap} mode="sign" onSelect={onSelect} onDetails={() => undefined} label="Signing certificate" />);
    const radio = (name: string) => screen.getByRole('radio', { name }) as HTMLInputElement;
    expect(radio('Alice Signer').disabled).toBe(false);
    expect(radio('Soon Signer').disabled).toBe(false);
    expect(radio('Old Signer').disabled).toBe(true);
    expect(radio('Keyless').disabled).toBe(true);
    expect(screen.getByText(/Signatures made with an expired certificate are not valid/)).toBeTruthy();
    expect(screen.getByText(/No private key for this certificate/)).toBeTruthy();
    expect(screen.getByText('Expires in 12 days (Jan 1, 2030)')).toBeTruthy();
    expect(screen.getByText('EC P-256')).toBeTruthy();
    fireEvent.click(radio('Alice Signer'));
    expect(onSelect).toHaveBeenCalledWith('pkcs11:id=%01;type=cert');
    // The authentication certificate is filtered out by default; showing all explains why it cannot sign.
    expect(screen.queryByText('Alice Auth')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'All' }));
    expect(radio('Alice Auth').disabled).toBe(true);
    expect(screen.getByText(/This is an authentication certificate/)).toBeTruthy();
  });

  it('filters by text and hides expired ones on request', () => {
    wrap(<CertificatePicker snapshot={snap} mode="sign" onSelect={() => undefined} onDetails={() => undefined} label="Signing certificate" />);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search certificates' }), { target: { value: 'soon' } });
    expect(screen.getAllByRole('radio', { name: /Signer/ }).map((r) => r.getAttribute('value'))).toEqual(['pkcs11:id=%04;type=cert']);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search certificates' }), { target: { value: '' } });
    expect(screen.getByRole('radio', { name: 'Old Signer' })).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Hide expired' }));
    expect(screen.queryByRole('radio', { name: 'Old Signer' })).toBeNull();
  });

  it('opens the details view', () => {
    const onDetails = vi.fn();
    wrap(<CertificatePicker snapshot={snap} mode="browse" onDetails={onDetails} label="Certificates" />);
    fireEvent.click(screen.getByRole('button', { name: 'Details of Alice Signer' }));
    expect(onDetails).toHaveBeenCalledWith('pkcs11:id=%01;type=cert');
  });
});

describe('TokenPanel PIN cache', () => {
  afterEach(() => vi.useRealTimers());

  it('shows a live countdown for a token with a cached signing login, and Lock now asks to lock that token', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const onLockNow = vi.fn();
    const snap = snapshot([token({ uri: 'pkcs11:token=A', label: 'Card A' }), token({ uri: 'pkcs11:token=B', label: 'Card B' })], []);
    const expiresAt = Date.now() + 90_000;
    wrap(<TokenPanel snapshot={snap} loading={false} onRefresh={() => undefined} onChangePin={() => undefined} unlocked={[{ tokenUri: 'pkcs11:token=A', expiresAt }]} onLockNow={onLockNow} />);
    const items = screen.getAllByRole('listitem');
    expect(within(items[0]!).getByText('Unlocked — locks in 1:30')).toBeTruthy();
    expect(within(items[1]!).queryByText(/Unlocked/)).toBeNull();
    act(() => {
      vi.advanceTimersByTime(31_000);
    });
    expect(within(items[0]!).getByText('Unlocked — locks in 0:59')).toBeTruthy();
    fireEvent.click(within(items[0]!).getByRole('button', { name: 'Lock now: Card A' }));
    expect(onLockNow).toHaveBeenCalledWith('pkcs11:token=A');
  });

  it('shows nothing when no login is cached', () => {
    wrap(<TokenPanel snapshot={snapshot([token({ uri: 'pkcs11:token=A', label: 'Card A' })], [])} loading={false} onRefresh={() => undefined} onChangePin={() => undefined} unlocked={[]} />);
    expect(screen.queryByText(/Unlocked/)).toBeNull();
    expect(screen.queryByRole('button', { name: /Lock now/ })).toBeNull();
  });
});
