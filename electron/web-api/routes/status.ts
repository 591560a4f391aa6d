/**
 * GET /v1/status — for an allowed origin: version and whether a token is inserted; never
 * certificate data. Origins not allowed yet get only the presence answer (server.ts).
 */
import { API_VERSION } from '../protocol';
import type { Route } from './route';

export const statusRoute: Route<'/v1/status'> = {
  method: 'GET',
  async handle(ctx) {
    ctx.input.none();
    const tokens = await ctx.services.tokens();
    return {
      app: 'signet',
      apiVersion: API_VERSION,
      allowed: true,
      version: ctx.services.appVersion,
      tokenPresent: tokens.some((t) => t.flags.tokenInitialized),
    };
  },
};
