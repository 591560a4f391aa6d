/**
 * Human-readable names from X.509 distinguished names (RFC 5280 §4.1.2.4; attribute types from
 * RFC 4519, and ETSI EN 319 412-1 §5.1 for organizationIdentifier). RFC 4514 strings come from
 * summary.ts (rfc4514).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { rfc4514 } from './summary';

/** Attribute type OID → [short name, label for details views]. */
export const NAME_ATTRIBUTES: Record<string, [string, string]> = {
  '2.5.4.3': ['CN', 'Common name'],
  '2.5.4.4': ['SN', 'Surname'],
  '2.5.4.42': ['GN', 'Given name'],
  '2.5.4.43': ['initials', 'Initials'],
  '2.5.4.44': ['generationQualifier', 'Generation qualifier'],
  '2.5.4.5': ['serialNumber', 'Serial number'],
  '2.5.4.6': ['C', 'Country'],
  '2.5.4.7': ['L', 'Locality'],
  '2.5.4.8': ['ST', 'State or province'],
  '2.5.4.9': ['street', 'Street address'],
  '2.5.4.10': ['O', 'Organization'],
  '2.5.4.11': ['OU', 'Organizational unit'],
  '2.5.4.12': ['title', 'Title'],
  '2.5.4.17': ['postalCode', 'Postal code'],
  '2.5.4.46': ['dnQualifier', 'DN qualifier'],
  '2.5.4.65': ['pseudonym', 'Pseudonym'],
  '2.5.4.97': ['organizationIdentifier', 'Organization identifier'],
  '1.2.840.113549.1.9.1': ['emailAddress', 'Email address'],
  '0.9.2342.19200300.100.1.25': ['DC', 'Domain component'],
  '0.9.2342.19200300.100.1.1': ['UID', 'User ID'],
};

export interface NameField {
  oid: string;
  label: string;
  value: string;
}

export function parseName(der: Uint8Array): Name {
  return AsnConvert.parse(der, Name);
}

/** The attributes of a Name in encoded order (most significant RDN first). */
export function nameFields(name: Name): NameField[] {
  const out: NameField[] = [];
  for (const rdn of name) {
    for (const atv of rdn) {
      out.push({ oid: atv.type, label: NAME_ATTRIBUTES[atv.type]?.[1] ?? atv.type, value: attributeText(atv.value) });
    }
  }
  return out;
}

function attributeText(v: Name[number][number]['value']): string {
  if (v.anyValue) return `#${Buffer.from(v.anyValue).toString('hex')}`;
  return v.toString();
}

/**
 * The name a person recognises: the common name; else given name + surname; else the
 * organization; else the whole RFC 4514 string.
 */
export function displayNameOf(name: Name): string {
  const fields = nameFields(name);
  const get = (oid: string) => fields.find((f) => f.oid === oid)?.value;
  const cn = get('2.5.4.3');
  if (cn) return cn;
  const gn = get('2.5.4.42');
  const sn = get('2.5.4.4');
  if (gn || sn) return [gn, sn].filter(Boolean).join(' ');
  return get('2.5.4.10') ?? rfc4514(name);
}
