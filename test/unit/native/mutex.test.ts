import { describe, expect, it } from 'vitest';
import { KeyedMutex, Mutex } from '../../../native/mutex';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('per-token mutex', () => {
  it('serialises one key in FIFO order and runs different keys concurrently', async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const job = (key: string, name: string) =>
      m.run(key, async () => {
        log.push(`${name}+`);
        await tick();
        log.push(`${name}-`);
      });
    await Promise.all([job('a', 'a1'), job('a', 'a2'), job('b', 'b1')]);
    expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+'));
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'));
  });

  it('an aborted waiter never takes the lock and does not block the next one', async () => {
    const m = new Mutex();
    const release = await m.acquire();
    const ac = new AbortController();
    const aborted = m.acquire(ac.signal);
    const third = m.acquire();
    ac.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    release();
    const r3 = await third;
    expect(m.locked).toBe(true);
    r3();
    expect(m.locked).toBe(false);
  });
});
