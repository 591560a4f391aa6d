/**
 * The "site" of an origin for fairness and cooldowns: its registrable domain (eTLD+1 from the
 * Public Suffix List, private section included, so `a.github.io` and `b.github.io` are two
 * sites while `a1.evil.example` … `a16.evil.example` are one). Fresh subdomains cost an attacker
 * nothing; registrable domains cost money. Hosts without one (IP literals, `localhost`, a bare
 * public suffix) are their own site.
 */
import { getDomain } from 'tldts';

export function siteOf(origin: string): string {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return origin;
  }
  const domain = getDomain(host, { allowPrivateDomains: true });
  return domain ?? host;
}
