/**
 * Trust anchors for chains and verification, from three places: the admin policy's files
 * (read-only), the user's (config `signing.trustAnchors`, shared with the CLI), and extra files a
 * caller passes (the test harness's CA). The app's Settings add and remove user anchors: an added
 * certificate is copied into Signet's own folder (`<configDir>/trust-anchors/<sha256>.pem`) and
 * listed in the user config, so it survives the original file moving away and the CLI trusts it
 * too. Removing a user anchor unlists its file (and deletes it when it is Signet's copy); a
 * policy anchor cannot be removed here.
 *
 * Every added file must hold X.509 certificates (PEM or DER); a certificate that is not a CA
 * (RFC 5280 §4.2.1.9 basicConstraints cA) is still accepted — users pin self-signed end-entity
 * certificates — and the list says which is which.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '../../../native/errors';
import { readPolicy, readUserConfig, updateUserConfig } from '../config/files';
import { oneLine } from './chain';
import { certificatesFromFile, toPem } from './pem';
import type { TrustAnchorProblem, TrustAnchorSource, TrustAnchorView } from './trust-anchor-types';

export type { TrustAnchorProblem, TrustAnchorSource, TrustAnchorView };

export interface TrustAnchorStoreOptions {
  /** The user config file (paths.userConfigFile). */
  userConfigFile: string;
  /** The admin policy file (paths.policyFile). */
  policyFile: string;
  /** Where added anchors are copied (default: `trust-anchors` beside the user config). */
  anchorsDir?: string;
  /** Extra anchor files (harness, tests): trusted, listed, not removable. */
  extraFiles?: readonly string[];
}

interface Loaded {
  der: Uint8Array;
  view: TrustAnchorView;
  file: string;
}

export class TrustAnchorStore {
  private loaded: Loaded[] = [];
  private problems: TrustAnchorProblem[] = [];
  private readonly anchorsDir: string;

  constructor(private readonly opts: TrustAnchorStoreOptions) {
    this.anchorsDir = opts.anchorsDir ?? path.join(path.dirname(opts.userConfigFile), 'trust-anchors');
    this.reload();
  }

  /** DER of every anchor (policy, user, extra), deduplicated. */
  ders(): Uint8Array[] {
    const seen = new Set<string>();
    return this.loaded.filter((l) => !seen.has(l.view.fingerprintSha256) && seen.add(l.view.fingerprintSha256)).map((l) => l.der);
  }

  list(): { anchors: TrustAnchorView[]; problems: TrustAnchorProblem[] } {
    return { anchors: this.loaded.map((l) => ({ ...l.view })), problems: this.problems.map((p) => ({ ...p })) };
  }

  /** Add the certificates of a PEM/DER file; returns the ones added (already trusted ones are skipped). */
  add(bytes: Uint8Array, name: string): TrustAnchorView[] {
    let certs: Uint8Array[];
    try {
      certs = certificatesFromFile(bytes, name).map((der) => {
        new X509Certificate(der);
        return der;
      });
    } catch (e) {
      throw new SignetError('INVALID_INPUT', `${name} does not hold a certificate (PEM or DER X.509).`, {
        cause: e,
        details: { name, reason: 'not-a-certificate' },
      });
    }
    const known = new Set(this.loaded.filter((l) => l.view.source === 'user').map((l) => l.view.fingerprintSha256));
    const added: string[] = [];
    mkdirSync(this.anchorsDir, { recursive: true });
    for (const der of certs) {
      const fp = fingerprint(der);
      if (known.has(fp)) continue;
      known.add(fp);
      const file = path.join(this.anchorsDir, `${fp}.pem`);
      writeFileSync(file, toPem(der), { mode: 0o644 });
      added.push(file);
    }
    if (added.length > 0) {
      updateUserConfig(this.opts.userConfigFile, (c) => {
        const list = c.signing?.trustAnchors ?? [];
        return { ...c, signing: { ...c.signing, trustAnchors: [...list, ...added.filter((f) => !list.includes(f))] } };
      });
    }
    this.reload();
    const addedSet = new Set(added);
    return this.loaded.filter((l) => addedSet.has(l.file)).map((l) => ({ ...l.view }));
  }

  /** Remove a user anchor (its whole file when the file holds several). */
  remove(fingerprintSha256: string): void {
    const hits = this.loaded.filter((l) => l.view.fingerprintSha256 === fingerprintSha256);
    const user = hits.filter((l) => l.view.source === 'user');
    if (user.length === 0) {
      throw new SignetError('INVALID_INPUT', hits.length > 0 ? 'This trust anchor is set by the administrator and cannot be removed here.' : 'This trust anchor is not in the list.', {
        details: { reason: hits.length > 0 ? 'anchor-from-policy' : 'anchor-unknown' },
      });
    }
    const files = new Set(user.map((l) => l.file));
    updateUserConfig(this.opts.userConfigFile, (c) => ({
      ...c,
      signing: { ...c.signing, trustAnchors: (c.signing?.trustAnchors ?? []).filter((f) => !files.has(path.resolve(path.dirname(this.opts.userConfigFile), f))) },
    }));
    for (const f of files) if (path.dirname(f) === this.anchorsDir) rmSync(f, { force: true });
    this.reload();
  }

  /** Re-read the files (config changed by the CLI, a file replaced). */
  reload(): void {
    const loaded: Loaded[] = [];
    const problems: TrustAnchorProblem[] = [];
    const read = (files: readonly string[], source: TrustAnchorSource, baseDir: string): void => {
      for (const f of files) {
        const file = path.resolve(baseDir, f);
        try {
          for (const der of certificatesFromFile(readFileSync(file), path.basename(file))) loaded.push({ der, file, view: viewOf(der, source, path.basename(file)) });
        } catch (e) {
          problems.push({ fileName: path.basename(file), source, message: e instanceof Error ? e.message : String(e) });
        }
      }
    };
    let policyFiles: string[] = [];
    let userFiles: string[] = [];
    try {
      policyFiles = readPolicy(this.opts.policyFile).signing?.trustAnchors ?? [];
    } catch (e) {
      problems.push({ fileName: path.basename(this.opts.policyFile), source: 'policy', message: e instanceof Error ? e.message : String(e) });
    }
    try {
      userFiles = readUserConfig(this.opts.userConfigFile).signing?.trustAnchors ?? [];
    } catch (e) {
      problems.push({ fileName: path.basename(this.opts.userConfigFile), source: 'user', message: e instanceof Error ? e.message : String(e) });
    }
    read(policyFiles, 'policy', path.dirname(this.opts.policyFile));
    read(userFiles, 'user', path.dirname(this.opts.userConfigFile));
    read(this.opts.extraFiles ?? [], 'extra', process.cwd());
    this.loaded = loaded;
    this.problems = problems;
  }
}

function fingerprint(der: Uint8Array): string {
  return new X509Certificate(der).fingerprint256.replace(/:/g, '').toLowerCase();
}

function viewOf(der: Uint8Array, source: TrustAnchorSource, fileName: string): TrustAnchorView {
  const c = new X509Certificate(der);
  return {
    fingerprintSha256: c.fingerprint256.replace(/:/g, '').toLowerCase(),
    subject: oneLine(c.subject),
    issuer: oneLine(c.issuer),
    notBefore: new Date(c.validFrom).toISOString(),
    notAfter: new Date(c.validTo).toISOString(),
    isCa: c.ca,
    selfSigned: c.subject === c.issuer && c.verify(c.publicKey),
    source,
    fileName,
  };
}
