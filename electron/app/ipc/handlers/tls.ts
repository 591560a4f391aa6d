import { err, ok } from '../../../../native/errors';
import type { Handler } from './types';

const desktopOnly = err({ code: 'INVALID_INPUT', message: 'Portal windows exist in the Signet desktop app only.', retriable: false });

/** Open portal windows and the Linux NSS registration (docs/tls-client-auth.md). */
export const tlsStatus: Handler<'tls.status'> = async (ctx) => (ctx.portals ? ok(await ctx.portals.status()) : desktopOnly);

/** "Switch identity" from the main window (the portal window's own menu does the same). */
export const tlsSwitchIdentity: Handler<'tls.switchIdentity'> = async (ctx, arg) => {
  if (!ctx.portals) return desktopOnly;
  if (!ctx.portals.switchIdentity(arg.portalId)) return err({ code: 'INVALID_INPUT', message: 'That portal window is closed.', retriable: false });
  ctx.logger.info('portal identity switched');
  return ok(undefined);
};

/** Withdraw the consent given for the NSS database: Signet's modules are removed from it. */
export const tlsUnregisterModules: Handler<'tls.unregisterModules'> = async (ctx) => {
  if (!ctx.portals) return desktopOnly;
  const removed = await ctx.portals.unregisterModules();
  ctx.logger.info('nss modules removed', { removed });
  return ok({ removed });
};
