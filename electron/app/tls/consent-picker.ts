/**
 * Signet's certificate picker for the portal window, shown through the same consent queue and
 * modal as web requests: operation 'authenticate' with the candidates, naming the portal's
 * origin. Declining, a timeout or no fitting certificate → undefined (the handshake goes on
 * without a certificate and the portal shows its own page for that).
 */
import { isSignetError } from '../../../native/errors';
import type { CertificateView } from '../../core/types';
import type { ConsentBroker } from '../../web-api/consent/broker';

export function consentPicker(broker: ConsentBroker): (origin: string, candidates: CertificateView[]) => Promise<string | undefined> {
  return async (origin, candidates) => {
    try {
      const d = await broker.ask({ origin, operation: 'authenticate', candidates });
      return d.approve ? d.certUri : undefined;
    } catch (e) {
      if (isSignetError(e)) return undefined; // timed out, queue full, another prompt pending
      throw e;
    }
  };
}
