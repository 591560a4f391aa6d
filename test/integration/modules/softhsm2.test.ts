/** The cross-module suite (suite.ts) on SoftHSM2, the module every other Signet test uses. */
import { EC_KEYS, moduleSuite, RSA_KEYS } from './suite';

moduleSuite('softhsm2', {
  keys: [...RSA_KEYS, ...EC_KEYS],
  signatures: [
    { key: 'sign-rsa', scheme: 'pkcs1', hash: 'sha256' },
    { key: 'sign-rsa', scheme: 'pkcs1', hash: 'sha512' },
    { key: 'sign-rsa', scheme: 'pss', hash: 'sha256' },
    { key: 'sign-rsa', scheme: 'pss', hash: 'sha384' },
    { key: 'sign-p256', scheme: 'ecdsa', hash: 'sha256' },
    { key: 'sign-p384', scheme: 'ecdsa', hash: 'sha384' },
  ],
  mechanisms: { present: ['CKM_RSA_PKCS', 'CKM_RSA_PKCS_PSS', 'CKM_ECDSA'], absent: [] },
});
