/** Readable names for OIDs a details view shows (RFC 5280 §4.2.1.12, ETSI EN 319 411/412). */

export const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'TLS server authentication',
  '1.3.6.1.5.5.7.3.2': 'TLS client authentication',
  '1.3.6.1.5.5.7.3.3': 'Code signing',
  '1.3.6.1.5.5.7.3.4': 'Email protection (S/MIME)',
  '1.3.6.1.5.5.7.3.8': 'Time stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP signing',
  '1.3.6.1.5.5.7.3.36': 'Document signing',
  '1.3.6.1.4.1.311.10.3.12': 'Document signing (Microsoft)',
  '1.2.840.113583.1.1.5': 'PDF authentic documents (Adobe)',
  '1.3.6.1.4.1.311.20.2.2': 'Smart card logon (Microsoft)',
  '1.3.6.1.5.2.3.4': 'Kerberos client authentication',
  '2.5.29.37.0': 'Any extended key usage',
};

export const POLICY_NAMES: Record<string, string> = {
  '2.5.29.32.0': 'Any policy',
  '0.4.0.194112.1.0': 'QCP-n (qualified certificate for natural persons)',
  '0.4.0.194112.1.1': 'QCP-l (qualified certificate for legal persons)',
  '0.4.0.194112.1.2': 'QCP-n-qscd (qualified, key on a QSCD, natural person)',
  '0.4.0.194112.1.3': 'QCP-l-qscd (qualified, key on a QSCD, legal person)',
  '0.4.0.194112.1.4': 'QCP-w (qualified website certificate)',
  '0.4.0.2042.1.1': 'NCP (normalized certificate policy)',
  '0.4.0.2042.1.2': 'NCP+ (normalized, secure device)',
  '0.4.0.2042.1.3': 'LCP (lightweight certificate policy)',
};

export const QC_STATEMENT_NAMES: Record<string, string> = {
  '0.4.0.1862.1.1': 'EU qualified certificate (QcCompliance)',
  '0.4.0.1862.1.2': 'Transaction value limit (QcLimitValue)',
  '0.4.0.1862.1.3': 'Retention period (QcRetentionPeriod)',
  '0.4.0.1862.1.4': 'Private key on a qualified signature creation device (QcSSCD)',
  '0.4.0.1862.1.5': 'PKI disclosure statements (QcPDS)',
  '0.4.0.1862.1.6': 'Certificate type (QcType)',
  '0.4.0.1862.1.7': 'Country or territory (QcCClegislation)',
  '1.3.6.1.5.5.7.11.2': 'Semantics identifier (RFC 3739)',
  '0.4.0.194121.1.1': 'Semantics: natural person identifier',
  '0.4.0.194121.1.2': 'Semantics: legal person identifier',
};

export const QC_TYPE_NAMES: Record<string, string> = {
  '0.4.0.1862.1.6.1': 'electronic signature (esign)',
  '0.4.0.1862.1.6.2': 'electronic seal (eseal)',
  '0.4.0.1862.1.6.3': 'website authentication (web)',
};

export const SIGNATURE_ALGORITHM_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'SHA-1 with RSA',
  '1.2.840.113549.1.1.11': 'SHA-256 with RSA',
  '1.2.840.113549.1.1.12': 'SHA-384 with RSA',
  '1.2.840.113549.1.1.13': 'SHA-512 with RSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.4.1': 'ECDSA with SHA-1',
  '1.2.840.10045.4.3.2': 'ECDSA with SHA-256',
  '1.2.840.10045.4.3.3': 'ECDSA with SHA-384',
  '1.2.840.10045.4.3.4': 'ECDSA with SHA-512',
  '1.3.101.112': 'Ed25519',
};

export const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.14': 'Subject key identifier',
  '2.5.29.15': 'Key usage',
  '2.5.29.17': 'Subject alternative name',
  '2.5.29.18': 'Issuer alternative name',
  '2.5.29.19': 'Basic constraints',
  '2.5.29.31': 'CRL distribution points',
  '2.5.29.32': 'Certificate policies',
  '2.5.29.35': 'Authority key identifier',
  '2.5.29.37': 'Extended key usage',
  '1.3.6.1.5.5.7.1.1': 'Authority information access',
  '1.3.6.1.5.5.7.1.3': 'Qualified certificate statements',
  '2.5.29.9': 'Subject directory attributes',
  '1.3.6.1.5.5.7.48.1.5': 'OCSP no check',
};
