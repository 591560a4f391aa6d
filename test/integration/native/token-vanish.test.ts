/**
 * Issue 10 item 8: a SoftHSM2 token whose directory disappears and comes back. SoftHSM2 keeps the
 * slot listed, answers CKR_GENERAL_ERROR to C_GetTokenInfo from then on — also after the
 * directory is back (OSToken::index never re-validates a token once invalid) — and only a new
 * C_Initialize finds it again. The host re-initialises such a module when that loses nothing
 * (native/host/recover.ts): on a listing (the app's Refresh) and from slot polling.
 */
import { readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRig, type Rig } from '../../rig';
import { TokenClient } from '../../../native/client';
import type { SlotEvent } from '../../../native/types';
import { waitFor } from './helpers';

let rig: Rig;
const pin = (s: string): Uint8Array => new TextEncoder().encode(s);

beforeAll(async () => {
  rig = await provisionRig({
    tokens: [
      { label: 'Vanishing', pin: '123456', keys: [{ name: 'v-sign', keyType: 'EC', purpose: 'signing' }] },
      { label: 'Staying', pin: '123456', keys: [{ name: 's-sign', keyType: 'EC', purpose: 'signing' }] },
    ],
  });
});
afterAll(async () => {
  await rig?.cleanup();
});

/** SoftHSM2 names a token's directory by a UUID whose last 16 hex digits are the serial. */
function tokenDir(label: string): string {
  const serial = rig.token(label).serial;
  const tokens = path.join(rig.dir, 'tokens');
  const name = readdirSync(tokens).find((d) => d.replace(/-/g, '').endsWith(serial));
  if (!name) throw new Error(`no directory for ${label} (${serial})`);
  return path.join(tokens, name);
}

/** Move the token's directory away; returns the function that puts it back. */
function vanish(label: string): () => void {
  const dir = tokenDir(label);
  const away = path.join(rig.dir, `away-${path.basename(dir)}`);
  renameSync(dir, away);
  return () => renameSync(away, dir);
}

const present = async (client: TokenClient, label: string): Promise<boolean> => (await client.listTokens()).some((t) => t.label === label);

describe('a token whose files disappear and come back', () => {
  it('Refresh (listTokens) finds it again; SoftHSM2 alone would not', async () => {
    const client = new TokenClient({ modules: [{ path: rig.module, source: 'argument', env: rig.env }] });
    try {
      expect(await present(client, 'Vanishing')).toBe(true);
      const back = vanish('Vanishing');
      expect(await present(client, 'Vanishing')).toBe(false);
      expect(await present(client, 'Staying')).toBe(true);
      back();
      // A listing within 1 s of the previous attempt does not re-initialise again: retry (bounded).
      let found = false;
      for (let i = 0; i < 20 && !found; i++) {
        found = await present(client, 'Vanishing');
        if (!found) await new Promise((r) => setTimeout(r, 200));
      }
      expect(found).toBe(true);
      // And it works: a fresh login and a signature.
      const t = rig.token('Vanishing');
      await client.login(t.uri, pin(t.pin));
      expect((await client.sign(rig.key('v-sign').keyUri, { name: 'CKM_ECDSA' }, new Uint8Array(32))).kind).toBe('signed');
      await client.logout(t.uri);
    } finally {
      await client.close();
    }
  });

  it('never at the cost of a login: while another token of the module is logged in, it waits', async () => {
    const client = new TokenClient({ modules: [{ path: rig.module, source: 'argument', env: rig.env }] });
    try {
      const staying = rig.token('Staying');
      await client.login(staying.uri, pin(staying.pin));
      const back = vanish('Vanishing');
      expect(await present(client, 'Vanishing')).toBe(false);
      back();
      await new Promise((r) => setTimeout(r, 1100));
      // Re-initialising now would log "Staying" out behind the user's back: not done.
      expect(await present(client, 'Vanishing')).toBe(false);
      expect((await client.tokenStatus(staying.uri)).loggedIn).toBe(true);
      await client.logout(staying.uri);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await present(client, 'Vanishing')).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('slot polling reports it removed, then inserted again, by itself', async () => {
    const client = new TokenClient({ modules: [{ path: rig.module, source: 'argument', env: rig.env }], slotPollIntervalMs: 50 });
    const events: SlotEvent[] = [];
    try {
      expect(await present(client, 'Vanishing')).toBe(true);
      const stop = client.onSlotEvent((e) => events.push(e));
      await new Promise((r) => setTimeout(r, 200));
      const back = vanish('Vanishing');
      await waitFor(() => events.some((e) => e.kind === 'removed' && e.token?.label === 'Vanishing'), 5000, 'removed event');
      back();
      // Polling re-initialises a stale module every 25 ticks at most (here 1.25 s), backing off ×2.
      await waitFor(() => events.some((e) => e.kind === 'inserted' && e.token?.label === 'Vanishing'), 10_000, 'inserted event');
      expect(events.filter((e) => e.token?.label === 'Staying')).toEqual([]);
      stop();
    } finally {
      await client.close();
    }
  });
});
