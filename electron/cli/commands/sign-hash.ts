/**
 * `signet sign-hash --key URI --hash HEX --hash-alg sha256|sha384|sha512 --scheme pkcs1|pss|ecdsa
 * [--ecdsa-format der|raw]`: sign a precomputed digest (PSS: MGF1 with the same hash, salt =
 * hash length). Output: {signature (base64), scheme, hashAlg, certificate (base64 DER | null)}.
 */
import { SignetError } from '../../../native/errors';
import { HASH_LENGTH, isHashAlg } from '../../../native/mechanisms';
import type { HashAlg } from '../../../native/types';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';

const HASH_BY_LENGTH: Record<number, HashAlg> = { 32: 'sha256', 48: 'sha384', 64: 'sha512' };

export const command: CliCommand = {
  name: 'sign-hash',
  description: 'Sign a precomputed digest with a key on a token (RSA PKCS#1 v1.5, RSA-PSS or ECDSA).',
  usesPin: true,
  options: {
    key: { type: 'string', valueName: 'URI', required: true, description: 'Private key (RFC 7512 URI, from "signet certs")' },
    hash: { type: 'string', valueName: 'HEX', required: true, description: 'The digest, hex' },
    'hash-alg': { type: 'string', choices: ['sha256', 'sha384', 'sha512'], description: 'Digest algorithm (default: from the digest length)' },
    scheme: { type: 'string', choices: ['pkcs1', 'pss', 'ecdsa'], description: 'Signature scheme (default: pkcs1 for RSA, ecdsa for EC)' },
    'ecdsa-format': { type: 'string', choices: ['der', 'raw'], description: 'ECDSA output: DER Ecdsa-Sig-Value (default) or raw r||s' },
  },
  async run(args, ctx) {
    const hex = String(args.values.hash).trim().replace(/^0x/i, '');
    if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new SignetError('INVALID_INPUT', '--hash must be the digest in hexadecimal.');
    const digest = Buffer.from(hex, 'hex');
    const given = args.values['hash-alg'] as string | undefined;
    const hashAlg: HashAlg | undefined = given !== undefined ? (isHashAlg(given) ? given : undefined) : HASH_BY_LENGTH[digest.length];
    if (!hashAlg) throw new SignetError('INVALID_INPUT', `A ${digest.length}-byte digest is not SHA-256/384/512; give --hash-alg.`);
    if (digest.length !== HASH_LENGTH[hashAlg]) {
      throw new SignetError('INVALID_INPUT', `A ${hashAlg} digest is ${HASH_LENGTH[hashAlg]} bytes; --hash has ${digest.length}.`);
    }
    const scheme = args.values.scheme as 'pkcs1' | 'pss' | 'ecdsa' | undefined;
    const format = args.values['ecdsa-format'] as 'der' | 'raw' | undefined;
    if (format && scheme && scheme !== 'ecdsa') throw new SignetError('INVALID_INPUT', '--ecdsa-format applies to --scheme ecdsa only.');
    const keyUri = String(args.values.key);
    ctx.logger.log('info', 'sign-hash', { key: keyUri, hashAlg, scheme: scheme ?? 'auto' });
    const r = await ctx.keySigner().signDigest({
      keyUri,
      digest,
      hash: hashAlg,
      pinPrompt: ctx.pinPrompt(),
      signal: ctx.signal,
      ...(scheme ? { scheme } : {}),
      ...(format ? { ecdsaFormat: format } : {}),
    });
    const out = {
      signature: Buffer.from(r.signature).toString('base64'),
      scheme: r.scheme.kind,
      hashAlg,
      certificate: r.certificate ? Buffer.from(r.certificate).toString('base64') : null,
    };
    ctx.print(out, () => out.signature);
    return EXIT.OK;
  },
};
