/** The application menu. Items that the renderer handles are sent as 'menu.command' events. */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../api';

export function buildMenu(send: (command: MenuCommand) => void): Menu {
  const isMac = process.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [item('Open Files to Sign…', 'open-files', 'CmdOrCtrl+O'), { type: 'separator' }, ...(isMac ? [] : [item('Settings', 'settings', 'CmdOrCtrl+,')]), isMac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    { label: '&Token', submenu: [item('Change PIN…', 'change-pin')] },
    {
      label: '&Help',
      submenu: [item('Export Diagnostics…', 'export-diagnostics'), { type: 'separator' }, item(`About ${app.getName()}`, 'about')],
    },
  ];
  return Menu.buildFromTemplate(template);
}
