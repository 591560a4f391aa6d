/**
 * Independent checks of ASiC-E containers: Info-ZIP's `unzip` (listing order, compression,
 * extraction) and xmlsec1 (XML-DSig verification of each META-INF/signatures*.xml, run in the
 * extracted container so the data files resolve by their relative URIs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** `unzip -Z -v`'s facts per entry, in central-directory order. */
export function zipEntries(file: string): { name: string; method: string; offset: number; extendedLocalHeader: string }[] {
  const out = execFileSync('unzip', ['-Z', '-v', file], { encoding: 'utf8' });
  return out
    .split(/\n(?=Central directory entry #\d+:)/)
    .slice(1)
    .map((block) => ({
      // "Central directory entry #1:", "-----", "", "  name"
      name: block.split('\n')[3]?.trim() ?? '',
      method: /compression method:\s+(.+)/.exec(block)?.[1]?.trim() ?? '',
      offset: Number(/offset of local header from start of archive:\s+(\d+)/.exec(block)?.[1] ?? NaN),
      extendedLocalHeader: /extended local header:\s+(\S+)/.exec(block)?.[1] ?? '',
    }));
}

/** `unzip -Z1`: entry names in archive order. */
export function zipNames(file: string): string[] {
  return execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Extract the container into a new folder under `dir`. */
export function extract(file: string, dir: string): string {
  const out = mkdtempSync(path.join(dir, 'x-'));
  execFileSync('unzip', ['-q', file, '-d', out]);
  return out;
}

export interface XmlsecResult {
  ok: boolean;
  output: string;
}

/**
 * xmlsec1 --verify of one signature file in an extracted container: the XAdES SignedProperties'
 * Id declared as an ID attribute (the document has no DTD), the trust anchor given, references
 * resolved from the container's root folder (cwd).
 */
export function xmlsecVerify(extracted: string, signatureFile: string, trustedPem: string, extraPems: string[] = []): XmlsecResult {
  const xml = readFileSync(path.join(extracted, signatureFile), 'utf8');
  for (const m of xml.matchAll(/<ds:Reference [^>]*URI="([^"]*)"/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(m[1]!) || m[1]!.startsWith('/')) throw new Error(`not a relative reference: ${m[1]}`);
  }
  const args = [
    '--verify',
    '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties',
    // xmlsec1 counts a relative URI ("a.pdf") as "remote" ("local" is file:// only); libxml2 then
    // reads it relative to the cwd. The signatures' URIs are checked to be plain names first.
    '--enabled-reference-uris', 'empty,same-doc,remote',
    '--trusted-pem', trustedPem,
    ...extraPems.flatMap((p) => ['--untrusted-pem', p]),
    signatureFile,
  ];
  const r = spawnSync('xmlsec1', args, { cwd: extracted, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export function signatureFiles(extracted: string): string[] {
  return readdirSync(path.join(extracted, 'META-INF')).filter((n) => /signatures.*\.xml$/.test(n)).sort().map((n) => path.join('META-INF', n));
}

export function writeInputs(dir: string, files: Record<string, string | Buffer>): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([n, c]) => {
    const p = path.join(dir, n);
    writeFileSync(p, c);
    return p;
  });
}

/**
 * With lxml (libxml2's C14N, Debian's python3-lxml under /usr/bin/python3): for each
 * SignatureTimeStamp of a signature file, the exclusive canonical form of its ds:SignatureValue
 * and the RFC 3161 token, written to `${out}-N.c14n` / `${out}-N.tst`; the LT values too
 * (`${out}-ocsp-N.der`, `${out}-cert-N.der`). Returns the counts.
 */
export function xadesParts(signatureFile: string, out: string): { timestamps: number; ocsps: number; certs: number } {
  const script = `
import sys, base64, json
from lxml import etree
ns = {'ds': 'http://www.w3.org/2000/09/xmldsig#', 'xades': 'http://uri.etsi.org/01903/v1.3.2#'}
doc = etree.parse(sys.argv[1])
out = sys.argv[2]
sv = doc.find('.//ds:SignatureValue', ns)
tss = doc.findall('.//xades:SignatureTimeStamp', ns)
for i, ts in enumerate(tss):
    assert ts.find('ds:CanonicalizationMethod', ns).get('Algorithm') == 'http://www.w3.org/2001/10/xml-exc-c14n#'
    open(f'{out}-{i}.c14n', 'wb').write(etree.tostring(sv, method='c14n', exclusive=True, with_comments=False))
    open(f'{out}-{i}.tst', 'wb').write(base64.b64decode(ts.find('xades:EncapsulatedTimeStamp', ns).text))
ocsps = doc.findall('.//xades:RevocationValues/xades:OCSPValues/xades:EncapsulatedOCSPValue', ns)
for i, o in enumerate(ocsps):
    open(f'{out}-ocsp-{i}.der', 'wb').write(base64.b64decode(o.text))
certs = doc.findall('.//xades:CertificateValues/xades:EncapsulatedX509Certificate', ns)
for i, c in enumerate(certs):
    open(f'{out}-cert-{i}.der', 'wb').write(base64.b64decode(c.text))
print(json.dumps({'timestamps': len(tss), 'ocsps': len(ocsps), 'certs': len(certs)}))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, signatureFile, out], { encoding: 'utf8' })) as { timestamps: number; ocsps: number; certs: number };
}
