/**
 * The local history (issue 12 §7): newest first, at most 200 entries, kept across restarts in a
 * 0600 file, cleared on request; a damaged file is set aside and never stops Signet; nothing but
 * the declared fields (names, origin, signer, times) is ever written — no content, no PIN.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, HistoryStore, type NewHistoryEntry } from '../../../electron/core/history';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signed = (i: number): NewHistoryEntry => ({ kind: 'document-signed', name: `doc${i}.pdf`, output: `doc${i}-signed.pdf`, format: 'pades', signer: 'Łukasz Wałęsa' });

describe('history store', () => {
  it('keeps the newest 200 entries, newest first, across restarts, in a private file', () => {
    const file = path.join(dir, 'a', 'history.json');
    const h = new HistoryStore(file);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h.add(signed(i));
    h.add({ kind: 'web-login', origin: 'https://portal.example:8443', signer: 'Auth' });
    h.add({ kind: 'web-signature', origin: 'https://portal.example', operation: 'sign-document', signer: 'Sign', documentName: 'form.pdf' });
    const list = h.list();
    expect(list).toHaveLength(HISTORY_LIMIT);
    expect(list[0]).toMatchObject({ kind: 'web-signature', documentName: 'form.pdf' });
    expect(list[1]).toMatchObject({ kind: 'web-login', origin: 'https://portal.example:8443' });
    expect(list[2]).toMatchObject({ kind: 'document-signed', name: `doc${HISTORY_LIMIT + 4}.pdf` });
    // The oldest seven fell off the end.
    expect(list.some((e) => e.kind === 'document-signed' && e.name === 'doc6.pdf')).toBe(false);
    expect(list.at(-1)).toMatchObject({ name: 'doc7.pdf' });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = new HistoryStore(file);
    expect(again.list()).toEqual(list);
  });

  it('writes only the declared fields (never content or secrets) and refuses malformed entries', () => {
    const file = path.join(dir, 'b', 'history.json');
    const h = new HistoryStore(file);
    h.add({ ...signed(1), contentBase64: 'SECRETCONTENT', pin: '123456' } as unknown as NewHistoryEntry);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('doc1.pdf');
    expect(text).not.toContain('SECRETCONTENT');
    expect(text).not.toContain('123456');
    expect(() => h.add({ kind: 'web-login', signer: 'x' } as unknown as NewHistoryEntry)).toThrow();
    expect(h.list()).toHaveLength(1);
  });

  it('clears, tells listeners, and sets a damaged file aside', () => {
    const file = path.join(dir, 'c', 'history.json');
    const h = new HistoryStore(file);
    const seen: number[] = [];
    h.onChange((e) => seen.push(e.length));
    h.add(signed(1));
    h.clear();
    expect(seen).toEqual([1, 0]);
    expect(new HistoryStore(file).list()).toEqual([]);

    writeFileSync(file, '{"version":1,"entries":[{"kind":"nope"}]}');
    const fresh = new HistoryStore(file);
    expect(fresh.list()).toEqual([]);
    expect(existsSync(`${file}.damaged`)).toBe(true);
    fresh.add(signed(2));
    expect(new HistoryStore(file).list()).toHaveLength(1);
  });
});
