/**
 * `Menu` — https://www.electronjs.org/docs/latest/api/menu
 * Menu.buildFromTemplate validates each item as MenuItem's constructor does ("must have at least
 * one of label, role or type"; https://www.electronjs.org/docs/latest/api/menu-item).
 */
import type { MenuItemConstructorOptions } from 'electron';
import { FakeElectronError } from './runtime';
import { strict } from './strict';

export class FakeMenu {
  constructor(readonly items: MenuItemConstructorOptions[]) {}

  /** Top-level labels, without the '&' mnemonics. */
  labels(): string[] {
    return this.items.map((i) => clean(i.label ?? i.role ?? i.type ?? ''));
  }

  /** The item at this label path (labels without '&'). */
  find(labels: readonly string[]): MenuItemConstructorOptions | undefined {
    let items: MenuItemConstructorOptions[] = this.items;
    let found: MenuItemConstructorOptions | undefined;
    for (const l of labels) {
      found = items.find((i) => clean(i.label ?? '') === l);
      if (!found) return undefined;
      items = Array.isArray(found.submenu) ? found.submenu : found.submenu instanceof FakeMenu ? found.submenu.items : [];
    }
    return found;
  }
}

const clean = (label: string): string => label.replace(/&/g, '');

function validate(items: MenuItemConstructorOptions[]): void {
  for (const i of items) {
    if (i.label === undefined && i.role === undefined && i.type === undefined) {
      throw new TypeError('Invalid template for MenuItem: must have at least one of label, role or type');
    }
    if (Array.isArray(i.submenu)) validate(i.submenu);
  }
}

let applicationMenu: FakeMenu | null = null;

export function getApplicationMenu(): FakeMenu | null {
  return applicationMenu;
}

export const MenuModule = strict(
  {
    /** https://www.electronjs.org/docs/latest/api/menu#menubuildfromtemplatetemplate */
    buildFromTemplate(template: MenuItemConstructorOptions[]): FakeMenu {
      if (!Array.isArray(template)) throw new FakeElectronError('Menu.buildFromTemplate takes an array');
      validate(template);
      return new FakeMenu(template);
    },
    /**
     * https://www.electronjs.org/docs/latest/api/menu#menusetapplicationmenumenu — "on Windows and
     * Linux, the menu will be set as each window's top menu".
     */
    setApplicationMenu(menu: FakeMenu | null): void {
      applicationMenu = menu;
    },
    /** https://www.electronjs.org/docs/latest/api/menu#menugetapplicationmenu */
    getApplicationMenu,
  },
  'Menu',
);
