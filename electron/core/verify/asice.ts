/**
 * Verifying an ASiC-E container with XAdES signatures (EN 319 162-1 §4.4.3, EN 319 132-1; the
 * checks of EN 319 102-1 a signing app can make offline): the container's structure (§A:
 * mimetype first, stored, the ASiC-E media type; the manifest lists exactly the data files), then
 * every signature in every META-INF/*signatures*.xml — its references (which data files it
 * covers, each unchanged), its SignatureValue, the SigningCertificateV2 binding, the signer's
 * chain, purpose and validity at the signing time (the time-stamp's time when a valid one is
 * present), the time-stamp — and the baseline level reached.
 *
 * The container is valid when its structure is and every signature is valid; a signature that
 * leaves a data file uncovered is reported with a warning (DigiDoc signs all files).
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { readContainer } from '../formats/asice/container';
import { checkXadesSignature, parseSignatureDocument, type XadesCheck } from '../formats/asice/xades-verify';
import { fileError } from '../hashing';
import { buildChain, validAt } from '../pki/chain';
import { displayNameOf } from '../pki/names';
import { certificatePurposes } from '../pki/purposes';
import { rfc4514 } from '../pki/summary';
import { validateEmbeddedRevocation } from './revocation';
import { anchorsOf, chainReport, timestampReport } from './signer-report';
import type { SignatureReport, VerifyOptions, VerifyReport } from './types';

export async function verifyAsice(file: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw fileError(file, e);
  }
  return verifyAsiceBytes(bytes, file, opts);
}

export async function verifyAsiceBytes(bytes: Buffer, name: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const c = await readContainer(bytes, path.basename(name));
  const problems = [...c.problems];
  if (c.signatures.length === 0) problems.push('the container holds no signature (META-INF/*signatures*.xml)');
  const files = new Map(c.dataFiles.map((d) => [d.name, d.data]));
  const signatures: SignatureReport[] = [];
  for (const sf of [...c.signatures].sort((a, b) => signatureOrder(a.name) - signatureOrder(b.name) || a.name.localeCompare(b.name))) {
    opts.signal?.throwIfAborted();
    const parsed = parseSignatureDocument(sf.xml, sf.name);
    if ('error' in parsed) {
      problems.push(parsed.error);
      continue;
    }
    for (const el of parsed.signatures) {
      const check = await checkXadesSignature(parsed.doc, el, files);
      signatures.push(await report(check, sf.name, signatures.length + 1, [...files.keys()], opts));
    }
  }
  return {
    valid: problems.length === 0 && signatures.length > 0 && signatures.every((s) => s.valid),
    format: 'asice',
    file: name,
    signatures,
    container: {
      files: c.dataFiles.map((d) => ({ name: d.name, mimeType: d.mimeType, size: d.data.length })),
      signatureFiles: c.signatures.map((s) => s.name),
      problems,
    },
  };
}

/** signatures0.xml, signatures1.xml, … in number order. */
function signatureOrder(name: string): number {
  const m = /signatures(\d+)\.xml$/.exec(name);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

async function report(check: XadesCheck, signatureFile: string, index: number, dataFiles: string[], opts: VerifyOptions): Promise<SignatureReport> {
  const errors = [...check.errors];
  const warnings: string[] = [];
  const covers = check.references.filter((r) => r.kind === 'file' && r.file !== undefined).map((r) => r.file!);
  const notCovered = dataFiles.filter((f) => !covers.includes(f));
  if (covers.length === 0) errors.push('The signature covers no data file of the container');
  for (const f of notCovered) warnings.push(`The signature does not cover ${f}`);
  const integrity = check.signatureValueValid && check.references.length > 0 && check.references.every((r) => r.ok);
  const r: SignatureReport = {
    index,
    format: 'xades',
    signer: '(unknown)',
    integrity,
    chain: { trusted: false, certificates: [], problems: [] },
    purposes: [],
    xades: { signatureFile, id: check.id, covers, notCovered },
    valid: false,
    errors,
    warnings,
  };
  if (check.signingTime) r.signingTime = check.signingTime;
  const der = check.signerCertificate;
  if (!der) return r;
  const tbs = AsnConvert.parse(der, Certificate).tbsCertificate;
  r.signer = displayNameOf(tbs.subject);
  r.signerSubject = rfc4514(tbs.subject);
  r.signerCertificate = Buffer.from(der).toString('base64');
  if (!check.signingCertificateV2) warnings.push('SigningCertificate (v1) instead of SigningCertificateV2: not a XAdES baseline signature');

  const anchors = anchorsOf(opts);
  const intermediates = [...check.certificates, ...check.certificateValues].map((d) => ({ der: d, source: 'signature' as const }));
  let provenTime: Date | undefined;
  const first = check.timestamps[0];
  if (first) {
    r.timestamp = await timestampReport(first.token, first.data, anchors, intermediates);
    if (!r.timestamp.valid) errors.push(`Time-stamp: ${r.timestamp.errors.join('; ')}`);
    else if (!r.timestamp.trusted) warnings.push(`Time-stamp: ${r.timestamp.errors.join('; ') || 'the TSA is not trusted'}`);
    else provenTime = new Date(r.timestamp.time);
  }
  const at = provenTime ?? (check.signingTime ? new Date(check.signingTime) : (opts.now ?? new Date()));
  const chain = buildChain(der, 'signature', { intermediates, anchors, at });
  r.chain = chainReport(chain);
  if (!chain.trusted || chain.problems.length > 0) errors.push(`Certificate chain: ${chain.problems.join('; ')}`);
  const leaf = new X509Certificate(der);
  if (!validAt(leaf, at)) {
    errors.push(`The signer certificate was not valid at the signing time (${at.toISOString()}; valid ${new Date(leaf.validFrom).toISOString()} to ${new Date(leaf.validTo).toISOString()})`);
  } else if (!provenTime && !validAt(leaf, opts.now ?? new Date())) {
    warnings.push('The signer certificate has expired since; without a time-stamp the signing time is only what the signer claims');
  }
  // B-LT material, judged offline at the signature's time (verify/revocation.ts, as for PAdES/CAdES).
  if (check.ocspResponses.length + check.crls.length > 0) {
    r.revocation = validateEmbeddedRevocation(chain.chain, { ocsps: check.ocspResponses, crls: check.crls, certificates: check.certificateValues }, at);
    for (const c of r.revocation.certificates) {
      if (c.status === 'revoked') errors.push(`Revocation: "${c.subject}" ${c.errors.join('; ')}`);
      else if (c.status === 'unknown') warnings.push(`Revocation data for "${c.subject}": ${c.errors.join('; ')}`);
    }
  }
  r.purposes = certificatePurposes(der);
  if (!r.purposes.includes('signing')) errors.push('The signer certificate is not for document signing (key usage / extended key usage)');
  r.valid = errors.length === 0;
  if (r.valid) r.level = levelOf(check, Boolean(provenTime), r.revocation?.status === 'good');
  return r;
}

/**
 * EN 319 132-1 §4: B-B (SigningCertificateV2, SigningTime), B-T (+ a valid SignatureTimeStamp),
 * B-LT (+ CertificateValues and RevocationValues that answer "good" for the whole chain at the
 * signature's time), B-LTA (+ ArchiveTimeStamp; counted, not verified: Signet does not make it).
 */
function levelOf(check: XadesCheck, timestamped: boolean, revocationGood: boolean): SignatureReport['level'] {
  if (!timestamped) return 'B-B';
  if (!(check.certificateValues.length > 0 && revocationGood)) return 'B-T';
  return check.archiveTimestamps > 0 ? 'B-LTA' : 'B-LT';
}
