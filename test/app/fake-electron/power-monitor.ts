/**
 * `powerMonitor` — https://www.electronjs.org/docs/latest/api/power-monitor. "This module cannot
 * be used until the ready event of the app module is emitted." Its events ('suspend', 'resume',
 * 'lock-screen', 'unlock-screen', …) come from the test (control op 'power').
 */
import { EventEmitter } from 'node:events';
import { DOCS, requireReady } from './runtime';
import { strict } from './strict';

export const powerMonitorEmitter = new EventEmitter();

/** Every access goes through the ready check, as the docs require. */
export const powerMonitorModule = new Proxy(strict(powerMonitorEmitter, 'powerMonitor'), {
  get(target, p, receiver) {
    requireReady('powerMonitor', `${DOCS}/power-monitor`);
    const v = Reflect.get(target, p, receiver) as unknown;
    return typeof v === 'function' ? v.bind(powerMonitorEmitter) : v;
  },
});
