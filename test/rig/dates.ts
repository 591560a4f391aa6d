// Validity periods, in the GeneralizedTime form `openssl ca -startdate/-enddate` accepts
// (YYYYMMDDHHMMSSZ). OpenSSL 3.0's `openssl x509` cannot set arbitrary dates, `openssl ca` can,
// which is why every certificate of the rig goes through `openssl ca`.

const DAY = 24 * 3600 * 1000;

export function daysFromNow(days: number): Date {
  return new Date(Date.now() + days * DAY);
}

export function opensslTime(d: Date): string {
  const iso = d.toISOString(); // 2026-11-22T22:31:01.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** The validity of a leaf: current by default; expired / not yet valid on request. */
export function leafValidity(spec: { expired?: boolean; notYetValid?: boolean; notBefore?: Date; notAfter?: Date }): Validity {
  if (spec.notBefore !== undefined || spec.notAfter !== undefined) {
    return { notBefore: spec.notBefore ?? daysFromNow(-1), notAfter: spec.notAfter ?? daysFromNow(730) };
  }
  if (spec.expired) return { notBefore: daysFromNow(-730), notAfter: daysFromNow(-1) };
  if (spec.notYetValid) return { notBefore: daysFromNow(30), notAfter: daysFromNow(365) };
  // A day of slack before "now": a verifier that checks the signing time against notBefore must
  // never trip over clock rounding.
  return { notBefore: daysFromNow(-1), notAfter: daysFromNow(730) };
}
