// The standard set of `provisionRig()` (/work/team.md, "The test rig API"). Key names are the
// handles tests use with rig.key(name); they are also the CKA_LABELs.
import type { RigTokenSpec } from './types';

export const STANDARD_TOKEN_A = 'Signet Test A';
export const STANDARD_TOKEN_B = 'Signet Test B';

/** Names of the standard keys, for editor completion and typo-proof lookups. */
export const STD = {
  signRsa2048: 'sign-rsa2048',
  authRsa2048: 'auth-rsa2048',
  signP256: 'sign-p256',
  authP256: 'auth-p256',
  signRsa3072: 'sign-rsa3072',
  signP384: 'sign-p384',
  expiredRsa2048: 'expired-rsa2048',
  alwaysAuthRsa2048: 'always-auth-rsa2048',
  bSignP256: 'b-sign-p256',
} as const;

export function standardTokens(): RigTokenSpec[] {
  return [
    {
      label: STANDARD_TOKEN_A,
      pin: '123456',
      soPin: '12345678',
      keys: [
        { name: STD.signRsa2048, keyType: 'RSA', bits: 2048, purpose: 'signing' }, // id 01
        { name: STD.authRsa2048, keyType: 'RSA', bits: 2048, purpose: 'authentication' }, // id 02
        { name: STD.signP256, keyType: 'EC', curve: 'P-256', purpose: 'signing' }, // id 03
        { name: STD.authP256, keyType: 'EC', curve: 'P-256', purpose: 'authentication' }, // id 04
        { name: STD.signRsa3072, keyType: 'RSA', bits: 3072, purpose: 'signing' }, // id 05
        { name: STD.signP384, keyType: 'EC', curve: 'P-384', purpose: 'signing' }, // id 06
        { name: STD.expiredRsa2048, keyType: 'RSA', bits: 2048, purpose: 'signing', expired: true }, // id 07
        { name: STD.alwaysAuthRsa2048, keyType: 'RSA', bits: 2048, purpose: 'signing', alwaysAuthenticate: true }, // id 08
      ],
    },
    {
      label: STANDARD_TOKEN_B,
      pin: '654321',
      soPin: '87654321',
      keys: [{ name: STD.bSignP256, keyType: 'EC', curve: 'P-256', purpose: 'signing' }], // id 01
    },
  ];
}
