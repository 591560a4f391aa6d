/**
 * X.509 v3 extensions as readable fields (RFC 5280 §4.2), parsed with @peculiar/asn1-x509.
 * An extension that cannot be parsed is shown as hex rather than hidden.
 */
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CertificatePolicies,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  type Extension,
  type GeneralName,
  KeyUsage,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  UserNotice,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_certificatePolicies,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_pe_authorityInfoAccess,
} from '@peculiar/asn1-x509';
import type { CertificateField } from '../types';
import { rfc4514 } from './summary';
import { EKU_NAMES, EXTENSION_NAMES, POLICY_NAMES, QC_STATEMENT_NAMES, QC_TYPE_NAMES } from './oid-names';
import { QCStatements, QcType, id_etsi_qcs_QcType, id_pe_qcStatements } from './qc-statements';

export interface Section {
  title: string;
  fields: CertificateField[];
}

/** IA5String on its own (the CPS pointer qualifier, RFC 5280 §4.2.1.4). */
class IA5 {
  value = '';
}
AsnProp({ type: AsnPropTypes.IA5String })(IA5.prototype, 'value');
AsnType({ type: AsnTypeTypes.Choice })(IA5);

const KU_LABELS: Record<string, string> = {
  digitalSignature: 'Digital signature',
  nonRepudiation: 'Non-repudiation (content commitment)',
  keyEncipherment: 'Key encipherment',
  dataEncipherment: 'Data encipherment',
  keyAgreement: 'Key agreement',
  keyCertSign: 'Certificate signing',
  crlSign: 'CRL signing',
  encipherOnly: 'Encipher only',
  decipherOnly: 'Decipher only',
};

const AIA_METHODS: Record<string, string> = { '1.3.6.1.5.5.7.48.1': 'OCSP', '1.3.6.1.5.5.7.48.2': 'CA issuers' };

export function hexColons(b: ArrayBuffer | Uint8Array): string {
  return Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b))
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?=.)/g, '$1:');
}

export function generalNameText(g: GeneralName): string {
  if (g.uniformResourceIdentifier) return g.uniformResourceIdentifier;
  if (g.rfc822Name) return `email: ${g.rfc822Name}`;
  if (g.dNSName) return `DNS: ${g.dNSName}`;
  if (g.iPAddress) return `IP: ${g.iPAddress}`;
  if (g.directoryName) return rfc4514(g.directoryName);
  if (g.registeredID) return `registered ID: ${g.registeredID}`;
  if (g.otherName) {
    // Microsoft UPN (1.3.6.1.4.1.311.20.2.3) is common on smart cards.
    return `other name ${g.otherName.typeId}`;
  }
  return '(unsupported name form)';
}

function named(oid: string, names: Record<string, string>): string {
  const n = names[oid];
  return n ? `${n} (${oid})` : oid;
}

/** Fields per extension, grouped into sections by extension, in the certificate's order. */
export function describeExtensions(extensions: readonly Extension[]): Section[] {
  const sections: Section[] = [];
  const other: CertificateField[] = [];
  for (const ext of extensions) {
    const title = EXTENSION_NAMES[ext.extnID] ?? ext.extnID;
    const crit = ext.critical ? [{ name: 'Critical', value: 'yes' }] : [];
    let fields: CertificateField[] | undefined;
    try {
      fields = describeOne(ext);
    } catch {
      fields = [{ name: 'Value (unparsable)', value: Buffer.from(ext.extnValue.buffer).toString('hex') }];
    }
    if (fields) sections.push({ title, fields: [...fields, ...crit] });
    else other.push({ name: `${title}${ext.critical ? ' (critical)' : ''}`, value: Buffer.from(ext.extnValue.buffer).toString('hex') });
  }
  if (other.length > 0) sections.push({ title: 'Other extensions', fields: other });
  return sections;
}

function describeOne(ext: Extension): CertificateField[] | undefined {
  const v = ext.extnValue.buffer;
  switch (ext.extnID) {
    case id_ce_keyUsage: {
      const ku = AsnConvert.parse(v, KeyUsage).toJSON();
      return ku.map((k) => ({ name: 'Usage', value: KU_LABELS[k] ?? k }));
    }
    case id_ce_extKeyUsage:
      return AsnConvert.parse(v, ExtendedKeyUsage).map((o) => ({ name: 'Purpose', value: named(o, EKU_NAMES) }));
    case id_ce_basicConstraints: {
      const bc = AsnConvert.parse(v, BasicConstraints);
      const f = [{ name: 'Certificate authority', value: bc.cA ? 'yes' : 'no' }];
      if (bc.pathLenConstraint !== undefined) f.push({ name: 'Path length limit', value: String(bc.pathLenConstraint) });
      return f;
    }
    case id_ce_certificatePolicies:
      return AsnConvert.parse(v, CertificatePolicies).flatMap((p) => [
        { name: 'Policy', value: named(p.policyIdentifier, POLICY_NAMES) },
        ...(p.policyQualifiers ?? []).map((q) => {
          if (q.policyQualifierId === '1.3.6.1.5.5.7.2.1') return { name: 'CPS', value: AsnConvert.parse(q.qualifier, IA5).value };
          if (q.policyQualifierId === '1.3.6.1.5.5.7.2.2') {
            const un = AsnConvert.parse(q.qualifier, UserNotice);
            return { name: 'User notice', value: un.explicitText?.toString() ?? '(reference)' };
          }
          return { name: 'Qualifier', value: q.policyQualifierId };
        }),
      ]);
    case id_pe_authorityInfoAccess:
      return AsnConvert.parse(v, AuthorityInfoAccessSyntax).map((a) => ({
        name: AIA_METHODS[a.accessMethod] ?? a.accessMethod,
        value: generalNameText(a.accessLocation),
      }));
    case id_ce_cRLDistributionPoints:
      return AsnConvert.parse(v, CRLDistributionPoints).flatMap((dp) =>
        (dp.distributionPoint?.fullName ?? []).map((g) => ({ name: 'CRL', value: generalNameText(g) })),
      );
    case id_ce_subjectAltName:
      return AsnConvert.parse(v, SubjectAlternativeName).map((g) => ({ name: 'Name', value: generalNameText(g) }));
    case id_ce_subjectKeyIdentifier:
      return [{ name: 'Key identifier', value: hexColons(AsnConvert.parse(v, SubjectKeyIdentifier).buffer) }];
    case id_ce_authorityKeyIdentifier: {
      const aki = AsnConvert.parse(v, AuthorityKeyIdentifier);
      return aki.keyIdentifier ? [{ name: 'Key identifier', value: hexColons(aki.keyIdentifier.buffer) }] : [];
    }
    case id_pe_qcStatements:
      return AsnConvert.parse(v, QCStatements).map((s) => {
        if (s.statementId === id_etsi_qcs_QcType && s.statementInfo) {
          const types = AsnConvert.parse(s.statementInfo, QcType).map((t) => QC_TYPE_NAMES[t] ?? t);
          return { name: 'Statement', value: `${QC_STATEMENT_NAMES[s.statementId]}: ${types.join(', ')}` };
        }
        return { name: 'Statement', value: named(s.statementId, QC_STATEMENT_NAMES) };
      });
    default:
      return undefined;
  }
}

