/**
 * ASiC-E (ETSI EN 319 162-1 §4.4, §A) names and namespaces, as DigiDoc and EU DSS write them.
 */

/** EN 319 162-1 §A.1: the `mimetype` entry's content for ASiC-E. */
export const ASICE_MIME_TYPE = 'application/vnd.etsi.asic-e+zip';

/** EN 319 162-1 §A.7: the root of META-INF/*signatures*.xml. */
export const ASIC_NS = 'http://uri.etsi.org/02918/v1.2.1#';
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
/** OpenDocument v1.2 part 3 §4: META-INF/manifest.xml (EN 319 162-1 §A.4 allows it; DigiDoc requires it). */
export const MANIFEST_NS = 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0';

/** XML-DSig reference Type of the XAdES SignedProperties (EN 319 132-1 §4.3.1, "01903#SignedProperties"). */
export const SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';

/** Exclusive XML Canonicalization 1.0, without comments (the canonicalisation DSS uses for XAdES). */
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

export const MANIFEST_PATH = 'META-INF/manifest.xml';

/** META-INF/signatures<N>.xml: the names DigiDoc writes (EN 319 162-1 §A.7 allows any "*signatures*.xml"). */
export const SIGNATURE_FILE = /^META-INF\/[^/]*signatures[^/]*\.xml$/;
export const signatureFileName = (n: number): string => `META-INF/signatures${n}.xml`;
