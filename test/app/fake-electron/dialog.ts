/**
 * `dialog` — https://www.electronjs.org/docs/latest/api/dialog
 * No one sits in front of the fake: message boxes are answered with the response the test set
 * (answer-next-message-box), otherwise with their cancelId as if dismissed ("cancelId … the index
 * of the button to be used to cancel the dialog, via the Esc key"); open/save dialogs are cancelled.
 */
import type { BaseWindow, Dialog, MessageBoxOptions, MessageBoxReturnValue, OpenDialogOptions, OpenDialogReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { DOCS, journal, requireReady } from './runtime';
import { strict } from './strict';

const scripted: number[] = [];

export function answerNextMessageBox(response: number): void {
  scripted.push(response);
}

/** Electron's optional leading window argument. */
function options<T>(a: BaseWindow | T, b?: T): T {
  return (b ?? a) as T;
}

type DialogMembers = 'showErrorBox' | 'showMessageBox' | 'showOpenDialog' | 'showSaveDialog';

const fake: Pick<Dialog, DialogMembers> = {
  /**
   * https://www.electronjs.org/docs/latest/api/dialog#dialogshowerrorboxtitle-content — "can be
   * called safely before the ready event … If called before the app ready event on Linux, the
   * message will be emitted to stderr, and no GUI dialog will appear." Modal: returns when dismissed.
   */
  showErrorBox(title: string, content: string): void {
    journal({ t: 'error-box', title, content });
    process.stderr.write(`[fake electron] error box: ${title}\n${content}\n`);
  },

  /** https://www.electronjs.org/docs/latest/api/dialog#dialogshowmessageboxwindow-options */
  showMessageBox(a: BaseWindow | MessageBoxOptions, b?: MessageBoxOptions): Promise<MessageBoxReturnValue> {
    requireReady('dialog.showMessageBox()', `${DOCS}/dialog`);
    const o = options(a, b);
    journal({ t: 'message-box', options: { type: o.type, title: o.title, message: o.message, detail: o.detail, buttons: o.buttons } });
    const response = scripted.shift() ?? o.cancelId ?? 0;
    return Promise.resolve({ response, checkboxChecked: false });
  },

  /** https://www.electronjs.org/docs/latest/api/dialog#dialogshowopendialogwindow-options */
  showOpenDialog(a: BaseWindow | OpenDialogOptions, b?: OpenDialogOptions): Promise<OpenDialogReturnValue> {
    requireReady('dialog.showOpenDialog()', `${DOCS}/dialog`);
    void options(a, b);
    return Promise.resolve({ canceled: true, filePaths: [] });
  },

  /** https://www.electronjs.org/docs/latest/api/dialog#dialogshowsavedialogwindow-options */
  showSaveDialog(a: BaseWindow | SaveDialogOptions, b?: SaveDialogOptions): Promise<SaveDialogReturnValue> {
    requireReady('dialog.showSaveDialog()', `${DOCS}/dialog`);
    void options(a, b);
    return Promise.resolve({ canceled: true, filePath: '' });
  },
};

export const dialogModule = strict(fake, 'dialog');
