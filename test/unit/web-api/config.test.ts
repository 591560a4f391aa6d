/** The web API's fields in the user config and admin policy (A's schema, fields added by D). */
import { describe, expect, it } from 'vitest';
import { PolicySchema, UserConfigSchema } from '../../../electron/core/config/schema';

describe('webApi config fields', () => {
  it('accepts a document size limit in the policy and the user config, within bounds', () => {
    expect(PolicySchema.parse({ version: 1, webApi: { maxDocumentBytes: 10_000_000, allowedOrigins: ['https://portal.example'] } }).webApi).toMatchObject({ maxDocumentBytes: 10_000_000 });
    expect(UserConfigSchema.parse({ version: 1, webApi: { maxDocumentBytes: 2048, allowHttpLocalhost: true } }).webApi).toMatchObject({ maxDocumentBytes: 2048 });
    expect(() => PolicySchema.parse({ version: 1, webApi: { maxDocumentBytes: 10 } })).toThrow();
    expect(() => UserConfigSchema.parse({ version: 1, webApi: { maxDocumentBytes: 1.5e9 } })).toThrow();
  });
});
