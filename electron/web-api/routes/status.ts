/** GET /v1/status — version and whether a token is inserted; never certificate data. */
import { SignetError } from '../../../native/errors';
import { API_VERSION } from '../protocol';
import { SMALL_BODY_BYTES, type Route } from './route';

export const statusRoute: Route<'/v1/status'> = {
  method: 'GET',
  maxBodyBytes: () => SMALL_BODY_BYTES,
  parse(body) {
    if (body !== undefined) throw new SignetError('INVALID_INPUT', 'GET /v1/status takes no body.');
    return undefined;
  },
  async handle(_req, ctx) {
    const tokens = await ctx.services.tokens();
    return {
      app: 'signet',
      version: ctx.services.appVersion,
      apiVersion: API_VERSION,
      tokenPresent: tokens.some((t) => t.flags.tokenInitialized),
    };
  },
};
