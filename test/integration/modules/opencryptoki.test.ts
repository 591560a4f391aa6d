/**
 * The cross-module suite (suite.ts) on openCryptoki's soft token (pkcsslotd in a private mount
 * namespace, see test/rig/modules/opencryptoki.ts). Debian 12's openCryptoki 3.8 soft token has
 * no elliptic curves: the suite checks it still does not, and signs with RSA (PKCS#1 v1.5, PSS).
 */
import { moduleSuite, RSA_KEYS } from './suite';

moduleSuite('opencryptoki', {
  keys: RSA_KEYS,
  signatures: [
    { key: 'sign-rsa', scheme: 'pkcs1', hash: 'sha256' },
    { key: 'sign-rsa', scheme: 'pkcs1', hash: 'sha512' },
    { key: 'sign-rsa', scheme: 'pss', hash: 'sha256' },
  ],
  mechanisms: { present: ['CKM_RSA_PKCS', 'CKM_RSA_PKCS_PSS'], absent: ['CKM_ECDSA', 'CKM_EC_KEY_PAIR_GEN'] },
});
