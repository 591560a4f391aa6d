/**
 * Help → Export diagnostics: a plain-text report a user can attach to a support request.
 * Public data only: module paths and info, token info and mechanisms, certificate summaries
 * (subject, issuer, validity, fingerprints — never the DER, never a key), app and OS versions,
 * settings without anything personal beyond the remembered origins, and the last log lines, which
 * are redacted when written (../logs/logger.ts). No PIN, no document content or names' hashes.
 */
import type { AppInfo, Settings, TokensSnapshot } from '../../api';

export interface DiagnosticsInput {
  app: AppInfo;
  snapshot: TokensSnapshot;
  settings: Settings;
  logLines: string[];
}

const yes = (b: boolean): string => (b ? 'yes' : 'no');

export function buildDiagnosticsReport({ app, snapshot, settings, logLines }: DiagnosticsInput): string {
  const out: string[] = [];
  const h = (title: string): void => {
    out.push('', `== ${title} ==`);
  };
  out.push(`Signet diagnostics report — ${new Date().toISOString()}`);
  out.push('This report holds public information only: no PIN, no document content, no private key.');

  h('Application');
  out.push(`${app.name} ${app.version} on ${app.platform}, locale ${app.locale}`);
  for (const [k, v] of Object.entries(app.versions).sort()) out.push(`  ${k}: ${v}`);
  out.push(`Log folder: ${app.logDir}`, `Config folder: ${app.configDir}`);

  h('PKCS#11 modules');
  if (snapshot.modules.length === 0) out.push('(none found)');
  for (const m of snapshot.modules) {
    out.push(`- ${m.path} [${m.source}] loaded: ${yes(m.loaded)}`);
    if (m.info) out.push(`    ${m.info.manufacturer} — ${m.info.description}, Cryptoki ${m.info.cryptokiVersion}, library ${m.info.libraryVersion}`);
    if (m.error) out.push(`    error ${m.error.code}: ${m.error.message}`);
  }

  h('Tokens');
  if (snapshot.tokens.length === 0) out.push('(no token present)');
  for (const t of snapshot.tokens) {
    out.push(`- ${t.label} (${t.manufacturer} ${t.model}, serial ${t.serial}) slot ${t.slotId}`);
    out.push(`    module: ${t.module}`);
    const flags = Object.entries(t.flags)
      .filter(([, v]) => v)
      .map(([k]) => k);
    out.push(`    flags: ${flags.join(', ') || '(none)'}; PIN length ${t.minPinLength}–${t.maxPinLength}`);
    out.push(`    mechanisms: ${t.mechanisms.join(', ') || '(none listed)'}`);
  }

  h('Certificates');
  if (snapshot.certificates.length === 0) out.push('(none)');
  for (const c of snapshot.certificates) {
    out.push(`- ${c.displayName} — issued by ${c.issuerDisplayName}`);
    out.push(`    subject: ${c.subject}`);
    out.push(`    issuer: ${c.issuer}`);
    out.push(`    serial ${c.serialNumber}; valid ${c.notBefore} → ${c.notAfter} (${c.validity})`);
    out.push(`    key: ${c.keyType}${c.keySize ? ` ${c.keySize}` : ''}${c.curve ? ` ${c.curve}` : ''}; purposes: ${c.purposes.join(', ') || '(none)'}; private key: ${yes(c.hasPrivateKey)}; per-signature PIN: ${c.alwaysAuthenticate === null ? 'unknown until login' : yes(c.alwaysAuthenticate)}`);
    out.push(`    SHA-256 fingerprint: ${c.fingerprintSha256}`);
    if (c.notForSigning) out.push(`    not for document signatures: ${c.notForSigning.code}`);
  }

  h('Settings');
  out.push(`language: ${settings.language}; output: ${settings.output}; timestamp by default: ${yes(settings.timestampByDefault)}; TSA: ${settings.tsaUrl || '(none)'}`);
  out.push(`web API port: ${settings.apiPort}; http://localhost origins allowed: ${yes(settings.allowHttpLocalhost)}`);
  out.push(`policy origins: ${settings.policyOrigins.join(', ') || '(none)'}`);
  out.push(`remembered origins: ${settings.allowedOrigins.map((o) => o.origin).join(', ') || '(none)'}`);

  h(`Recent log (${logLines.length} lines)`);
  out.push(...logLines);
  return `${out.join('\n')}\n`;
}
