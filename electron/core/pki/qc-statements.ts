/**
 * Qualified certificate statements, RFC 3739 §3.2.6 and ETSI EN 319 412-5 §4:
 *
 *   QCStatements ::= SEQUENCE OF QCStatement
 *   QCStatement ::= SEQUENCE { statementId OBJECT IDENTIFIER, statementInfo ANY DEFINED BY statementId OPTIONAL }
 *   QcType ::= SEQUENCE OF OBJECT IDENTIFIER   (id-etsi-qcs-QcType, EN 319 412-5 §4.2.3)
 *
 * Declared with @peculiar/asn1-schema (no installed package has them); decorators applied as calls.
 */
import { AsnArray, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';

export const id_pe_qcStatements = '1.3.6.1.5.5.7.1.3';
export const id_etsi_qcs_QcType = '0.4.0.1862.1.6';

export class QCStatement {
  statementId = '';
  statementInfo?: ArrayBuffer;
  constructor(params: Partial<QCStatement> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(QCStatement.prototype, 'statementId');
AsnProp({ type: AsnPropTypes.Any, optional: true })(QCStatement.prototype, 'statementInfo');

export class QCStatements extends AsnArray<QCStatement> {
  constructor(items?: QCStatement[]) {
    super(items);
    Object.setPrototypeOf(this, QCStatements.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: QCStatement })(QCStatements);

export class QcType extends AsnArray<string> {
  constructor(items?: string[]) {
    super(items);
    Object.setPrototypeOf(this, QcType.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: AsnPropTypes.ObjectIdentifier })(QcType);
