/** `slots.watch`: start (intervalMs > 0) or stop (0) slot-event polling (host/slot-watch.ts). */
import type { SlotWatcher } from '../slot-watch';
import type { Handler } from './types';

let watcher: SlotWatcher | undefined;

export function setWatcher(w: SlotWatcher): void {
  watcher = w;
}

export const handle: Handler<'slots.watch'> = (params, ctx) => {
  ctx.p11();
  if (!watcher) return { watching: false };
  if (params.intervalMs > 0) watcher.start(params.intervalMs);
  else watcher.stop();
  return { watching: watcher.watching };
};
