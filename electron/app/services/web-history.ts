/**
 * The web API's signatures and logins go into the local history (issue 12 §7) here, in the app's
 * service wiring: each successful signDigest / signDocument is recorded with the page's origin
 * and the certificate's name — never the digest, the document or anything typed. Web eID
 * authentication signs a digest with purpose 'authentication': that is a login, not a signature.
 */
import type { HistoryStore } from '../../core/history';
import type { WebApiServices } from '../../web-api/services';

export function recordWebHistory(history: HistoryStore, services: WebApiServices): WebApiServices {
  const record = (f: () => void): void => {
    try {
      f();
    } catch {
      // The history is a convenience: failing to write it never fails the user's request.
    }
  };
  return {
    ...services,
    async signDigest(req) {
      const signature = await services.signDigest(req);
      const origin = req.origin;
      if (origin) {
        const signer = req.certificate.displayName;
        record(() =>
          history.add(req.purpose === 'authentication' ? { kind: 'web-login', origin, signer } : { kind: 'web-signature', origin, operation: 'sign-hash', signer }),
        );
      }
      return signature;
    },
    async signDocument(req) {
      const out = await services.signDocument(req);
      const origin = req.origin;
      if (origin) record(() => history.add({ kind: 'web-signature', origin, operation: 'sign-document', signer: req.certificate.displayName, documentName: req.name }));
      return out;
    },
  };
}
