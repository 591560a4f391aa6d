/** The OS dialogs behind HandlerContext.dialogs (Electron only; the harness has stand-ins). */
import { dialog, type BrowserWindow } from 'electron';
import { writeFile, rename } from 'node:fs/promises';
import type { Dialogs } from './ipc/context';
import type { MainStrings } from './main-strings';

export function electronDialogs(getWindow: () => BrowserWindow | null, strings: () => MainStrings): Dialogs {
  const parent = (): BrowserWindow | undefined => getWindow() ?? undefined;
  return {
    async openFiles({ multiple }) {
      const win = parent();
      const options: Electron.OpenDialogOptions = {
        properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
        filters: [
          { name: strings().allFiles, extensions: ['*'] },
          { name: strings().pdf, extensions: ['pdf'] },
        ],
      };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? [] : r.filePaths;
    },
    async chooseOutputDir(defaultDir) {
      const win = parent();
      const options: Electron.OpenDialogOptions = { defaultPath: defaultDir, properties: ['openDirectory', 'createDirectory'] };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    },
    async saveText(defaultName, text) {
      const win = parent();
      const options: Electron.SaveDialogOptions = { defaultPath: defaultName, filters: [{ name: strings().text, extensions: ['txt'] }] };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return null;
      // Atomic: a half-written report never replaces a good file.
      const tmp = `${r.filePath}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, r.filePath);
      return r.filePath;
    },
  };
}
