/** The application menu. Items that the renderer handles are sent as 'menu.command' events. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../api';
import type { MainStrings } from './main-strings';

export function buildMenu(send: (command: MenuCommand) => void, s: MainStrings): Menu {
  const isMac = process.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: s.file,
      submenu: [item(s.openFiles, 'open-files', 'CmdOrCtrl+O'), { type: 'separator' }, ...(isMac ? [] : [item(s.settings, 'settings', 'CmdOrCtrl+,')]), isMac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    { label: s.token, submenu: [item(s.changePin, 'change-pin')] },
    {
      label: s.help,
      submenu: [item(s.exportDiagnostics, 'export-diagnostics'), { type: 'separator' }, item(s.about, 'about')],
    },
  ];
  return Menu.buildFromTemplate(template);
}

/** A portal window's own menu bar (Linux, Windows): switch identity, close. */
export function buildPortalMenu(s: MainStrings, actions: { switchIdentity(): void; close(): void }): Menu {
  return Menu.buildFromTemplate([
    {
      label: s.portalMenu,
      submenu: [
        { label: s.switchIdentity, click: () => actions.switchIdentity() },
        { type: 'separator' },
        { label: s.closeWindow, accelerator: 'CmdOrCtrl+W', click: () => actions.close() },
      ],
    },
    { role: 'editMenu' },
  ]);
}
