/**
 * Which certificates need validation material (EN 319 102-1 §5.2.5): for each CMS signature,
 * its signer's certificate with the certificates it carries; for each time-stamp token — the
 * signature-time-stamp attributes (RFC 3161 Appendix A) and PDF document time-stamps — the
 * TSA's certificate with the token's certificates.
 */
import { parseSignedData, attributeValues, findSignerCertificate } from '../formats/cms/parse';
import { id_aa_signatureTimeStampToken } from '../formats/cms/sign';
import type { CollectTarget } from './collect';

/** Targets for one CMS SignedData (a PAdES /Contents or a .p7s): signer, then its time-stamps' TSAs. */
export function targetsOfCms(der: Uint8Array, role: 'signer' | 'tsa' = 'signer'): CollectTarget[] {
  const parsed = parseSignedData(der);
  const out: CollectTarget[] = [];
  for (const si of parsed.signedData.signerInfos) {
    const leaf = findSignerCertificate(si, parsed.certificates);
    if (leaf) out.push({ role, chain: [leaf, ...parsed.certificates.filter((c) => c !== leaf)] });
    for (const token of attributeValues(si.unsignedAttrs, id_aa_signatureTimeStampToken)) {
      out.push(...targetsOfCms(new Uint8Array(token), 'tsa'));
    }
  }
  return out;
}
