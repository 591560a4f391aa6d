// One PKCS#11 module with a provisioned token, whatever the module: the shape every module of
// the cross-module suite (test/integration/modules/) is tested through.
import type { KeyPurpose, RigCa, RigCurve } from '../types';

export type ModuleKind = 'softhsm2' | 'p11-kit-proxy' | 'tpm2-pkcs11' | 'opencryptoki';

/** A key pair the suite asks for on every module that can hold it. */
export interface ModuleKeySpec {
  name: string;
  keyType: 'RSA' | 'EC';
  bits?: number;
  curve?: RigCurve;
  purpose: KeyPurpose;
}

export interface ModuleRigKey extends ModuleKeySpec {
  /** CKA_ID (hex) and CKA_LABEL of the three objects. */
  idHex: string;
  label: string;
  certPem: string;
  certDer: Buffer;
  certPath: string;
  /** SubjectPublicKeyInfo PEM, read from the token (openssl verifies with it). */
  publicKeyPem: string;
}

export interface ModuleRig {
  kind: ModuleKind;
  /** For test titles, e.g. "tpm2-pkcs11 on swtpm". */
  name: string;
  /** The library to load (what `--module` and p11tool's `--provider` get). */
  module: string;
  /** A proxy's rig: the module it fronts, to load directly too (the same token reached twice). */
  fronts?: string;
  /**
   * What GnuTLS p11tool loads to see this token: `--provider <module>`, or null for p11-kit's own
   * registry — p11-kit refuses to load p11-kit-proxy.so into itself, and its registry is exactly
   * what the proxy fronts.
   */
  p11toolProvider: string | null;
  /** Environment the module needs (config files, TPM connection, …), for every process that loads it. */
  env: Record<string, string>;
  /**
   * Command prefix that runs a program where the module works: [] normally; for openCryptoki
   * `nsenter -t PID -m --`, into the private mount namespace its daemon runs in.
   */
  wrap: string[];
  token: { label: string; serial: string; pin: string; soPin: string };
  keys: ModuleRigKey[];
  /** Trust anchor of every certificate on the token. */
  ca: RigCa;
  /** Temp dir holding everything of this rig. */
  dir: string;
  cleanup(): Promise<void>;
}
