// provisionRig(): a fresh SoftHSM2 token directory, the test PKI, tokens with keys and
// certificates, and optionally the OCSP / CRL services the certificates point at.
import fs from 'node:fs';
import path from 'node:path';
import { caStoreIn, type CaName, type CaStore } from './ca';
import { certFields } from './cert-fields';
import { leafValidity } from './dates';
import { keyComponents, keyKind, pooledKey } from './keys';
import { makeNssDb } from './nss';
import { startCrlServer, startOcspResponder } from './ocsp';
import { deleteToken, personalise, softhsmModule, writeSofthsmConf, type WorkerKey, type WorkerToken } from './softhsm';
import { standardTokens } from './standard';
import { makeTempDir, removeDir, writePrivate } from './tmp';
import type { ProvisionOptions, RevocationReason, Rig, RigCa, RigKey, RigKeySpec, RigService, RigToken, RigTokenSpec } from './types';
import { objectUri, tokenUri } from './uri';

const DEFAULT_SO_PIN = '12345678';

/** A key prepared for a token, before the token (and so its serial) exists. */
interface PreparedKey {
  spec: RigKeySpec;
  idHex: string;
  label: string;
  privateKeyPem: string;
  privateKeyPath: string;
  publicKeyPem: string;
  issuerName: CaName;
  cert?: { certPem: string; certDer: Buffer; certPath: string; serialHex: string; notAfter: Date };
  worker: WorkerKey;
}

class RigImpl implements Rig {
  readonly env: Record<string, string>;
  tokens: RigToken[] = [];
  ocsp?: RigService;
  crl?: RigService;
  /** Per-rig counters of pooled keys by kind, so keys stay distinct within the rig. */
  private readonly keyCounters = new Map<string, number>();
  private readonly services: RigService[] = [];
  private defaultNssDb?: string;
  private nssCounter = 0;
  private cleaned = false;

  constructor(
    readonly dir: string,
    readonly softhsmConf: string,
    readonly module: string,
    readonly caStore: CaStore,
    readonly ca: RigCa,
    readonly intermediate: RigCa,
    private readonly urls: { ocspUrl?: string; crlUrl?: (ca: CaName) => string },
  ) {
    this.env = { SOFTHSM2_CONF: softhsmConf };
  }

  token(label: string): RigToken {
    const t = this.tokens.find((x) => x.label === label);
    if (t === undefined) throw new Error(`rig: no token "${label}" (have: ${this.tokens.map((x) => x.label).join(', ')})`);
    return t;
  }

  key(name: string): RigKey {
    for (const t of this.tokens) {
      const k = t.keys.find((x) => x.name === name);
      if (k !== undefined) return k;
    }
    throw new Error(`rig: no key "${name}" (have: ${this.tokens.flatMap((t) => t.keys.map((k) => k.name)).join(', ')})`);
  }

  async addToken(spec: RigTokenSpec): Promise<RigToken> {
    const [token] = await this.createTokens([spec]);
    if (token === undefined) throw new Error('rig: token creation returned nothing');
    return token;
  }

  async removeToken(label: string): Promise<void> {
    const t = this.token(label);
    await deleteToken(this.softhsmConf, t.serial);
    this.tokens = this.tokens.filter((x) => x !== t);
  }

  nssDb(dir?: string): string {
    if (dir !== undefined) return makeNssDb(dir, this.ca, this.intermediate);
    this.defaultNssDb ??= makeNssDb(path.join(this.dir, `nss-${++this.nssCounter}`), this.ca, this.intermediate);
    return this.defaultNssDb;
  }

  async revoke(name: string, reason: RevocationReason = 'keyCompromise'): Promise<void> {
    const k = this.key(name);
    if (k.certPath === '') throw new Error(`rig: key "${name}" has no certificate to revoke`);
    await this.caStore.revoke(k.issuer === this.intermediate ? 'intermediate' : 'root', k.certPath, reason);
  }

  crlDer(issuer: CaName = 'root'): Promise<Buffer> {
    return this.caStore.crlDer(issuer);
  }

  /** Keep a service to stop at cleanup. */
  track(service: RigService): RigService {
    this.services.push(service);
    return service;
  }

  cleanup(): Promise<void> {
    if (!this.cleaned) {
      this.cleaned = true;
      // stop() closes listening sockets synchronously before its promise settles; the promise
      // only waits for open connections, which the removed files no longer matter to.
      for (const s of this.services) void s.stop().catch(() => undefined);
      removeDir(this.dir);
    }
    return Promise.resolve();
  }

  /** Prepare keys + certificates for several tokens, personalise them in one worker run. */
  async createTokens(specs: RigTokenSpec[]): Promise<RigToken[]> {
    validateSpecs(specs, this.tokens);
    const preparation = this.prepareAll(specs);
    // The worker starts now and gets its input when the keys and certificates are ready.
    const madePromise = personalise(
      this.module,
      this.softhsmConf,
      preparation.then((prepared) =>
        specs.map((t, i): WorkerToken => ({
          label: t.label,
          pin: t.pin,
          soPin: t.soPin ?? DEFAULT_SO_PIN,
          keys: (prepared[i] ?? []).map((p) => p.worker),
        })),
      ),
    );
    // Both settle before we go on, so nothing still runs in the rig dir if the caller cleans up.
    const [prepared, made] = await Promise.all([preparation, madePromise.catch(async (e: unknown) => {
      await preparation.catch(() => undefined);
      throw e;
    })]);
    const tokens = specs.map((t, i): RigToken => {
      const serial = made[i]?.serial;
      if (serial === undefined) throw new Error(`rig: token "${t.label}" was not created`);
      const ref = { label: t.label, serial };
      return {
        label: t.label,
        serial,
        pin: t.pin,
        soPin: t.soPin ?? DEFAULT_SO_PIN,
        uri: tokenUri(ref),
        keys: (prepared[i] ?? []).map((p) => this.rigKey(t, ref, p)),
      };
    });
    this.tokens.push(...tokens);
    return tokens;
  }

  /** Keys + certificates for every token, grouped per token. */
  private async prepareAll(specs: RigTokenSpec[]): Promise<PreparedKey[][]> {
    // allSettled, not all: on a failure, no preparation may still be writing into the rig dir
    // while the caller cleans it up.
    const settled = await Promise.allSettled(specs.flatMap((t) => t.keys.map((k, i) => this.prepareKey(t, k, i))));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const flat = settled.map((r) => (r as PromiseFulfilledResult<PreparedKey>).value);
    let next = 0;
    return specs.map((t) => t.keys.map(() => flat[next++] as PreparedKey));
  }

  private async prepareKey(token: RigTokenSpec, spec: RigKeySpec, index: number): Promise<PreparedKey> {
    const kind = keyKind(spec.keyType, spec.bits, spec.curve);
    const n = this.keyCounters.get(kind) ?? 0;
    this.keyCounters.set(kind, n + 1);
    const material = await pooledKey(spec.keyType, n, spec.bits, spec.curve);
    const keysDir = path.join(this.dir, 'keys');
    const certsDir = path.join(this.dir, 'certs');
    fs.mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(certsDir, { recursive: true });
    const privateKeyPath = path.join(keysDir, `${fileSafe(spec.name)}.key`);
    writePrivate(privateKeyPath, material.privateKeyPem);
    const idHex = (spec.idHex ?? (index + 1).toString(16).padStart(2, '0')).toLowerCase();
    const label = spec.label ?? spec.name;
    const issuerName: CaName = spec.issuer ?? 'root';
    const worker: WorkerKey = {
      ...keyComponents(material),
      idHex,
      label,
      purpose: spec.purpose ?? 'signing',
      alwaysAuthenticate: spec.alwaysAuthenticate ?? false,
    };
    let cert: PreparedKey['cert'];
    if (!spec.noCertificate) {
      const validity = leafValidity(spec);
      const issued = await this.caStore.issue({
        ca: issuerName,
        profile: spec.purpose ?? 'signing',
        keyPath: privateKeyPath,
        subject: spec.subject ?? `/C=EE/O=Signet Test/OU=${opensslSubjValue(token.label)}/CN=${opensslSubjValue(`Signet Test ${spec.name}`)}`,
        validity,
        ...(this.urls.ocspUrl !== undefined ? { ocspUrl: this.urls.ocspUrl } : {}),
        ...(this.urls.crlUrl !== undefined ? { crlUrl: this.urls.crlUrl(issuerName) } : {}),
        outPath: path.join(certsDir, `${fileSafe(spec.name)}.pem`),
      });
      const f = certFields(issued.certDer);
      worker.subjectHex = f.subjectDer.toString('hex');
      worker.cert = {
        derHex: issued.certDer.toString('hex'),
        subjectHex: f.subjectDer.toString('hex'),
        issuerHex: f.issuerDer.toString('hex'),
        serialHex: f.serialDer.toString('hex'),
      };
      cert = { ...issued, notAfter: validity.notAfter };
    }
    return {
      spec, idHex, label, privateKeyPem: material.privateKeyPem, privateKeyPath, publicKeyPem: material.publicKeyPem,
      issuerName, worker, ...(cert !== undefined ? { cert } : {}),
    };
  }

  private rigKey(token: RigTokenSpec, ref: { label: string; serial: string }, p: PreparedKey): RigKey {
    const { spec } = p;
    const issuer = p.issuerName === 'intermediate' ? this.intermediate : this.ca;
    return {
      name: spec.name,
      keyType: spec.keyType,
      ...(spec.keyType === 'RSA' ? { bits: spec.bits ?? 2048 } : { curve: spec.curve ?? 'P-256' }),
      idHex: p.idHex,
      label: p.label,
      certPem: p.cert?.certPem ?? '',
      certDer: p.cert?.certDer ?? Buffer.alloc(0),
      certPath: p.cert?.certPath ?? '',
      keyUri: objectUri(ref, p.idHex, 'private'),
      certUri: p.cert !== undefined ? objectUri(ref, p.idHex, 'cert') : '',
      publicKeyUri: objectUri(ref, p.idHex, 'public'),
      purpose: spec.purpose ?? 'signing',
      alwaysAuthenticate: spec.alwaysAuthenticate ?? false,
      expired: p.cert !== undefined && p.cert.notAfter.getTime() < Date.now(),
      publicKeyPem: p.publicKeyPem,
      token: token.label,
      privateKeyPem: p.privateKeyPem,
      privateKeyPath: p.privateKeyPath,
      serialHex: p.cert?.serialHex ?? '',
      issuer,
      chainPem: p.issuerName === 'intermediate' ? this.intermediate.certPem : '',
    };
  }
}

function validateSpecs(specs: RigTokenSpec[], existing: RigToken[]): void {
  const labels = new Set(existing.map((t) => t.label));
  const names = new Set(existing.flatMap((t) => t.keys.map((k) => k.name)));
  for (const t of specs) {
    if (labels.has(t.label)) throw new Error(`rig: duplicate token label "${t.label}"`);
    if (Buffer.byteLength(t.label, 'utf8') > 32) throw new Error(`rig: token label "${t.label}" exceeds 32 bytes (CK_TOKEN_INFO.label)`);
    labels.add(t.label);
    const ids = new Set<string>();
    t.keys.forEach((k, i) => {
      if (names.has(k.name)) throw new Error(`rig: duplicate key name "${k.name}"`);
      names.add(k.name);
      const id = (k.idHex ?? (i + 1).toString(16).padStart(2, '0')).toLowerCase();
      if (!/^([0-9a-f]{2})+$/.test(id)) throw new Error(`rig: idHex "${id}" of key "${k.name}" is not hex bytes`);
      if (ids.has(id)) throw new Error(`rig: duplicate CKA_ID ${id} on token "${t.label}"`);
      ids.add(id);
    });
  }
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** `openssl -subj` treats / and \ as syntax; escape them inside a value. */
function opensslSubjValue(v: string): string {
  return v.replace(/[\\/+=]/g, (c) => `\\${c}`);
}

/** Internal access for helpers that need the rig's CA database (startOcsp). */
export function rigInternals(rig: Rig): { caStore: CaStore; track(s: RigService): RigService } {
  if (!(rig instanceof RigImpl)) throw new Error('rig: not a rig made by provisionRig()');
  return { caStore: rig.caStore, track: (s) => rig.track(s) };
}

export async function provisionRig(opts: ProvisionOptions = {}): Promise<Rig> {
  const dir = makeTempDir('rig');
  const services: RigService[] = [];
  try {
    const module = softhsmModule();
    const softhsmConf = writeSofthsmConf(dir);
    const { store, root, intermediate } = await caStoreIn(path.join(dir, 'ca'));

    // Services first: their URLs go into the certificates issued below. An explicit
    // ocspUrl / crlUrl wins over the rig's own service.
    let ocsp: RigService | undefined;
    let crl: RigService | undefined;
    if (opts.ocsp) services.push((ocsp = await startOcspResponder(store, path.join(dir, 'ocsp'))));
    if (opts.crl) services.push((crl = await startCrlServer(store, path.join(dir, 'crl'))));
    const ocspUrl = opts.ocspUrl ?? ocsp?.url;
    const crlBase = crl?.url;
    const crlUrl =
      opts.crlUrl !== undefined ? () => opts.crlUrl as string : crlBase !== undefined ? (ca: CaName) => `${crlBase}/${ca}.crl` : undefined;

    const rig = new RigImpl(dir, softhsmConf, module, store, root, intermediate, {
      ...(ocspUrl !== undefined ? { ocspUrl } : {}),
      ...(crlUrl !== undefined ? { crlUrl } : {}),
    });
    services.forEach((s) => rig.track(s));
    if (ocsp !== undefined) rig.ocsp = ocsp;
    if (crl !== undefined) rig.crl = crl;
    await rig.createTokens(opts.tokens ?? standardTokens());
    for (const name of opts.revoked ?? []) await rig.revoke(name);
    return rig;
  } catch (e) {
    for (const s of services) void s.stop().catch(() => undefined);
    removeDir(dir);
    throw e;
  }
}
