/**
 * Canonical forms this format signs and time-stamps, computed by xmldsigjs's Exclusive XML
 * Canonicalization 1.0 (W3C xml-exc-c14n, without comments) — never by hand:
 * - ds:SignedInfo, what the SignatureValue signs (XML-DSig §3.1.2);
 * - ds:SignatureValue, what the XAdES SignatureTimeStamp covers (EN 319 132-1 §5.3: "the
 *   ds:SignatureValue element ... canonicalized" with the ds:CanonicalizationMethod it names).
 */
import type { Element } from '@xmldom/xmldom';
import { XmlDsigExcC14NTransform } from 'xmldsigjs';
import { ensureXmlRuntime } from './xml-runtime';

export function exclusiveC14n(el: Element): Buffer {
  ensureXmlRuntime();
  const t = new XmlDsigExcC14NTransform();
  t.LoadInnerXml(el as never);
  return Buffer.from(t.GetOutput() as string, 'utf8');
}

export const canonicalSignatureValue = exclusiveC14n;
