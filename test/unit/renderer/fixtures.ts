import type { CertificateView, PinRequestView, TokenInfo, TokensSnapshot } from '../../../electron/api';

export function pinRequest(over: Partial<PinRequestView> = {}, token: Partial<PinRequestView['token']> = {}): PinRequestView {
  return {
    requestId: 'req-1',
    kind: 'login',
    action: { purpose: 'sign-documents', documents: ['contract.pdf'] },
    pinPad: false,
    timeoutMs: 30_000,
    token: {
      uri: 'pkcs11:token=Test',
      label: 'Signet Test A',
      manufacturer: 'SoftHSM project',
      model: 'SoftHSM v2',
      serial: '0001',
      minPinLength: 4,
      maxPinLength: 8,
      pinCountLow: false,
      pinFinalTry: false,
      ...token,
    },
    certificate: { uri: 'pkcs11:token=Test;id=%01;type=cert', displayName: 'Alice Signer' },
    ...over,
  };
}

export function token(over: Partial<TokenInfo> = {}, flags: Partial<TokenInfo['flags']> = {}): TokenInfo {
  return {
    uri: 'pkcs11:token=Signet%20Test%20A',
    module: '/usr/lib/softhsm/libsofthsm2.so',
    slotId: '1',
    label: 'Signet Test A',
    manufacturer: 'SoftHSM project',
    model: 'SoftHSM v2',
    serial: 'abc',
    flags: { loginRequired: true, protectedAuthPath: false, pinCountLow: false, pinFinalTry: false, pinLocked: false, pinToBeChanged: false, tokenInitialized: true, ...flags },
    minPinLength: 4,
    maxPinLength: 255,
    mechanisms: ['CKM_RSA_PKCS'],
    ...over,
  };
}

export function cert(over: Partial<CertificateView> = {}): CertificateView {
  return {
    uri: 'pkcs11:token=Signet%20Test%20A;id=%01;type=cert',
    keyUri: 'pkcs11:token=Signet%20Test%20A;id=%01;type=private',
    token: 'pkcs11:token=Signet%20Test%20A',
    label: 'sign',
    id: '01',
    subject: 'CN=Alice Signer,O=Test',
    issuer: 'CN=Test CA',
    serialNumber: '01',
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2030-01-01T12:00:00.000Z',
    keyType: 'RSA',
    keySize: 2048,
    purposes: ['signing'],
    alwaysAuthenticate: false,
    fingerprintSha256: 'aa'.repeat(32),
    certificate: '',
    displayName: 'Alice Signer',
    issuerDisplayName: 'Test CA',
    validity: 'valid',
    daysLeft: 1000,
    hasPrivateKey: true,
    ...over,
  };
}

export function snapshot(tokens: TokenInfo[], certificates: CertificateView[]): TokensSnapshot {
  return { modules: [], tokens, certificates, updatedAt: new Date().toISOString() };
}
