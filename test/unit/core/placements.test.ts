/** The last stamp placement per document layout: remembered across restarts, most recent first, bounded; a damaged file costs only the memory. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlacementStore } from '../../../electron/core/placements/store';

const dir = mkdtempSync(path.join(tmpdir(), 'signet-placements-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('placement store', () => {
  it('remembers per layout, across restarts, at most 100 layouts', () => {
    const file = path.join(dir, 'p.json');
    const s = new PlacementStore(file);
    expect(s.get('1|595x842')).toBeNull();
    s.set('1|595x842', { page: 1, rect: { x: 300, y: 80, width: 200, height: 60 } });
    s.set('3|612x792', { page: 2, rect: { x: 72, y: 100, width: 180, height: 50 }, field: 'Signature1' });
    for (let i = 0; i < 100; i++) s.set(`other-${i}`, { page: 0, rect: { x: 1, y: 1, width: 50, height: 20 } });
    const again = new PlacementStore(file);
    // The two first layouts were pushed out by 100 newer ones.
    expect(again.get('1|595x842')).toBeNull();
    expect(again.get('other-99')).toEqual({ page: 0, rect: { x: 1, y: 1, width: 50, height: 20 } });
    again.set('3|612x792', { page: 2, rect: { x: 72, y: 100, width: 180, height: 50 }, field: 'Signature1' });
    expect(new PlacementStore(file).get('3|612x792')).toEqual({ page: 2, rect: { x: 72, y: 100, width: 180, height: 50 }, field: 'Signature1' });
    expect(() => again.set('x', { page: -1, rect: { x: 0, y: 0, width: 1, height: 1 } })).toThrow();
  });

  it('starts empty when the file is damaged', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, 'not json');
    expect(new PlacementStore(file).get('a')).toBeNull();
  });
});
