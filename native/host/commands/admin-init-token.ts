/**
 * `admin.initToken`: C_InitToken on an uninitialised slot (PKCS#11 v2.40 §5.6). Some modules
 * (SoftHSM2) move the new token to a new slot ID and offer a fresh empty slot, so the token is
 * found again by label among those that were not initialised before.
 */
import { SignetError } from '../../errors';
import { paddedLabel, pinString, toSignetError } from '../pkcs11';
import type { Handler } from './types';

export const handle: Handler<'admin.initToken'> = (params, ctx) => {
  try {
    const p = ctx.p11();
    const before = ctx.scan();
    const known = new Set(before.filter((s) => s.token.flags.tokenInitialized).map((s) => `${s.token.serial}\u0000${s.token.label}`));
    const target = params.slotId !== undefined ? before.find((s) => s.slotId === params.slotId) : before.find((s) => !s.token.flags.tokenInitialized);
    if (!target) throw new SignetError('NO_TOKEN', params.slotId !== undefined ? `No token in slot ${params.slotId}.` : 'The module offers no uninitialised token slot.');
    ctx.dropSlot(target.slotId);
    try {
      p.C_InitToken(target.slot, pinString(params.soPin), paddedLabel(params.label));
    } catch (e) {
      throw toSignetError(e, 'C_InitToken');
    }
    ctx.log('info', 'token initialised', { label: params.label });
    const after = ctx.scan();
    const made = after.find((s) => s.token.flags.tokenInitialized && s.token.label === params.label.trim() && !known.has(`${s.token.serial}\u0000${s.token.label}`));
    if (!made) throw new SignetError('INTERNAL', 'The token was initialised but cannot be found again.');
    return made.token;
  } finally {
    params.soPin.fill(0);
  }
};
