/** `shell` — https://www.electronjs.org/docs/latest/api/shell. Recorded, nothing is opened. */
import type { Shell } from 'electron';
import { journal } from './runtime';
import { strict } from './strict';

const fake: Pick<Shell, 'showItemInFolder' | 'openExternal' | 'openPath'> = {
  /** https://www.electronjs.org/docs/latest/api/shell#shellshowiteminfolderfullpath */
  showItemInFolder(_fullPath: string): void {},
  /** https://www.electronjs.org/docs/latest/api/shell#shellopenpathpath — "Resolves with a string containing the error message corresponding to the failure if a failure occurred, otherwise ''." */
  openPath(_path: string): Promise<string> {
    return Promise.resolve('');
  },
  /** https://www.electronjs.org/docs/latest/api/shell#shellopenexternalurl-options */
  openExternal(url: string): Promise<void> {
    journal({ t: 'open-external', url });
    return Promise.resolve();
  },
};

export const shellModule = strict(fake, 'shell');
