/**
 * The operating system's trusted root certificates, read once per process.
 *
 * - Linux: the distribution bundle, first found of /etc/ssl/certs/ca-certificates.crt (Debian,
 *   Ubuntu), /etc/pki/tls/certs/ca-bundle.crt (Fedora, RHEL), /etc/ssl/ca-bundle.pem (openSUSE),
 *   /etc/ssl/cert.pem (Alpine); when no bundle exists, every *.pem / *.crt in /etc/ssl/certs.
 * - Windows and macOS: the OS store through Node's tls.getCACertificates('system') (Node ≥ 22.15,
 *   i.e. inside Electron: the Windows certificate store, the macOS keychain).
 * - Everywhere, when the above yields nothing: Node's bundled Mozilla roots (tls.rootCertificates).
 * The environment variable SIGNET_SYSTEM_CA_FILE replaces all of this with one PEM bundle (tests,
 * locked-down installations).
 *
 * These are TLS roots; document-signing CAs (e.g. qualified CAs of the EU trusted lists) are
 * often not among them, which is why admins configure trust anchors (config/policy).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { pemCertificates } from './pem';

const LINUX_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem', '/etc/ssl/cert.pem'];

export interface SystemStore {
  certificates: Uint8Array[];
  /** Where they came from, for diagnostics. */
  origin: string;
}

let cached: SystemStore | undefined;

export function systemStore(): SystemStore {
  cached ??= loadSystemStore();
  return cached;
}

function loadSystemStore(): SystemStore {
  const override = process.env.SIGNET_SYSTEM_CA_FILE;
  if (override) return { certificates: readPem(override), origin: override };
  if (process.platform === 'linux' || process.platform === 'freebsd') {
    for (const f of LINUX_BUNDLES) {
      if (existsSync(f)) {
        const certs = readPem(f);
        if (certs.length > 0) return { certificates: certs, origin: f };
      }
    }
    const dir = '/etc/ssl/certs';
    if (existsSync(dir)) {
      const certs = readdirSync(dir)
        .filter((n) => n.endsWith('.pem') || n.endsWith('.crt'))
        .flatMap((n) => readPem(path.join(dir, n)));
      if (certs.length > 0) return { certificates: certs, origin: dir };
    }
  }
  const getCa = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (getCa) {
    try {
      const certs = getCa('system').flatMap((p) => pemCertificates(p));
      if (certs.length > 0) return { certificates: certs, origin: 'os' };
    } catch {
      // fall through to the bundled roots
    }
  }
  return { certificates: tls.rootCertificates.flatMap((p) => pemCertificates(p)), origin: 'node-bundled' };
}

function readPem(file: string): Uint8Array[] {
  try {
    return pemCertificates(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}
