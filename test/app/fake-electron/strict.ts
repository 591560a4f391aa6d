/**
 * The fake offers exactly the Electron APIs Signet's main process uses. Any other member — a new
 * `electron.nativeTheme`, a new `app.setBadgeCount` — throws at first use, so the smoke test fails
 * with a message naming what to add (with the doc it follows) instead of silently passing over code
 * it does not exercise.
 */
import { FakeElectronError } from './runtime';

/** Properties JavaScript itself probes (module interop, promises, printing): absent, never an error. */
const PROBED = new Set(['then', 'toJSON', '__esModule', 'constructor', 'prototype', 'length', 'name', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType']);

export function strict<T extends object>(target: T, name: string): T {
  return new Proxy(target, {
    get(t, p, receiver) {
      if (typeof p === 'symbol' || p in t || PROBED.has(p)) return Reflect.get(t, p, receiver) as unknown;
      throw new FakeElectronError(`${name}.${p} is not faked. Add it to test/app/fake-electron/, following (and citing) its Electron documentation.`);
    },
  });
}
