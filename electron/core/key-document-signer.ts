/**
 * A DocumentSigner for a key on a token: the document formats' "sign this digest" goes through
 * KeySigner (login via the PinPrompt only when needed, one login for a batch — `action()` brackets
 * the batch as one user action, logged out at its end — a per-signature PIN
 * for CKA_ALWAYS_AUTHENTICATE keys, C_Sign in the token host). Never pkcs11js directly.
 *
 * The certificate is the one on the token with the key's CKA_ID; the token's other certificates
 * are offered as chain candidates. RSA keys sign with PKCS#1 v1.5 unless PSS is asked for or is
 * all the token offers; the scheme is fixed here, before signing, because the CMS
 * signatureAlgorithm and the /Contents size depend on it.
 */
import { SignetError } from '../../native/errors';
import type { TokenClient } from '../../native/client';
import { keyProfile, maxSignatureLength, type DocumentSigner, type SignatureScheme } from './document-signer';
import type { KeySigner } from './key-signer';
import type { UserAction } from './pin-prompt';
import type { PinPrompt } from './pin-prompt';

export interface KeyDocumentSignerOptions {
  keySigner: Pick<KeySigner, 'describe' | 'signDigest' | 'runAction'>;
  keyUri: string;
  pinPrompt: PinPrompt;
  /** For the token's other certificates (chain candidates). */
  client?: Pick<TokenClient, 'listCertificates'>;
  /** RSA: 'pkcs1' (default when the token offers it) or 'pss'. */
  rsaScheme?: 'pkcs1' | 'pss';
  /** Re-check the signing purpose at every signature (default true; false when the admin policy allows other purposes). */
  requireSigningPurpose?: boolean;
  /** Told when the token is about to be used (e.g. to show "waiting for PIN" before a prompt). */
  signal?: AbortSignal;
}

export async function createKeyDocumentSigner(o: KeyDocumentSignerOptions): Promise<DocumentSigner> {
  const known = await o.keySigner.describe(o.keyUri, o.signal);
  const d = known.description;
  const certificate = d.certificate;
  if (!certificate) {
    throw new SignetError('KEY_NOT_FOUND', 'This key has no certificate on the token, so it cannot make document signatures.', { retriable: false });
  }
  const profile = keyProfile(certificate);
  const mechanisms = d.token.mechanisms;
  let scheme: SignatureScheme;
  if (profile.keyType === 'EC') scheme = 'ecdsa';
  else if (o.rsaScheme) scheme = o.rsaScheme;
  else scheme = mechanisms.includes('CKM_RSA_PKCS') || !mechanisms.includes('CKM_RSA_PKCS_PSS') ? 'pkcs1' : 'pss';

  let extra: Uint8Array[] = [];
  if (o.client) {
    try {
      const certs = await o.client.listCertificates(d.token.uri, o.signal ? { signal: o.signal } : {});
      extra = certs.map((c) => c.certificate).filter((c) => Buffer.compare(Buffer.from(c), Buffer.from(certificate)) !== 0);
    } catch {
      // Chain candidates are a convenience; the trust store and the system store still apply.
    }
  }
  const requirePurpose = o.requireSigningPurpose === false ? {} : { requirePurpose: 'signing' as const };
  // Overlapping signatures are fine once a signature went through without a per-signature PIN
  // (CKA_ALWAYS_AUTHENTICATE, which a token may only reveal after login): two such prompts at
  // once would be confusing, and a PIN read from stdin must go to its own signature.
  let signed = false;
  let perSignaturePin = false;
  const pinPrompt: PinPrompt = {
    askPin: (request, signal) => {
      if (request.kind === 'signature') perSignaturePin = true;
      return o.pinPrompt.askPin(request, signal);
    },
    showPinPad: (request, onCancel) => {
      if (request.kind === 'signature') perSignaturePin = true;
      return o.pinPrompt.showPinPad(request, onCancel);
    },
  };
  return {
    certificate,
    extraCertificates: extra,
    scheme,
    maxSignatureLength: maxSignatureLength(profile),
    get concurrent() {
      return signed && !perSignaturePin;
    },
    async sign(digest, hash, signal) {
      const s = signal ?? o.signal;
      const r = await o.keySigner.signDigest({
        keyUri: o.keyUri,
        digest,
        hash,
        scheme,
        ecdsaFormat: 'der',
        pinPrompt,
        ...requirePurpose,
        ...(s ? { signal: s } : {}),
      });
      signed = true;
      return r.signature;
    },
    action: <T>(action: UserAction, fn: () => Promise<T>, signal?: AbortSignal) => o.keySigner.runAction(o.keyUri, action, fn, signal ?? o.signal),
  };
}
