/**
 * The app's portal windows (./portal-window.ts): opening one (on Linux, first registering Signet's
 * PKCS#11 modules in the NSS database Chromium reads — only after the user agrees,
 * ./nss-modules.ts), switching identity (from the portal window's menu or from the main window),
 * removing the NSS registration again, and closing them all when Signet quits.
 */
import { dialog, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { toErrorInfo } from '../../../native/errors';
import type { PortalStatus, PortalSummary } from '../../api';
import type { PortalControl } from '../ipc/context';
import type { Logger } from '../logs/logger';
import { fill, type MainStrings } from '../main-strings';
import { buildPortalMenu } from '../menu';
import type { PinBroker } from '../pin/pin-broker';
import type { CreatedServices } from '../services/create';
import { consentPicker } from './consent-picker';
import { defaultNssDbDir, ensureNssModules, listNssModules, MODULE_NAME_PREFIX, unregisterNssModules } from './nss-modules';
import { openPortalWindow, type PortalWindow, type PortalWindowDeps, type PortalWindowOptions } from './portal-window';

export interface PortalManagerDeps {
  services: CreatedServices;
  pins: PinBroker;
  logger: Logger;
  strings(): MainStrings;
  getMainWindow(): BrowserWindow | null;
  focusMain(): void;
  /** The portal list changed (the renderer's 'tls.changed'). */
  onChange(portals: PortalSummary[]): void;
}

export class PortalManager implements PortalControl {
  private readonly portals = new Map<string, PortalWindow>();
  private readonly windowDeps: PortalWindowDeps;
  private readonly windowOptions: PortalWindowOptions;

  constructor(private readonly deps: PortalManagerDeps) {
    const { services, pins, focusMain } = deps;
    this.windowDeps = {
      certificates: async () => (await services.tokens.snapshot()).certificates,
      tokens: async () => (await services.tokens.snapshot()).tokens,
      pickCertificate: consentPicker(services.consentBroker),
      pinPrompt: pins,
      focusMain,
    };
    this.windowOptions = {
      menu: (portal) => buildPortalMenu(deps.strings(), { switchIdentity: () => this.switchIdentity(portal.id), close: () => portal.close() }),
      onChange: () => this.changed(),
    };
  }

  async open(url: string): Promise<void> {
    await this.ensureModules();
    this.track(openPortalWindow(url, this.windowDeps, this.windowOptions));
  }

  switchIdentity(portalId: string): boolean {
    const portal = this.portals.get(portalId);
    if (!portal) return false;
    this.portals.delete(portalId);
    this.track(portal.switchIdentity());
    return true;
  }

  closeAll(): void {
    for (const p of [...this.portals.values()]) p.close();
  }

  list(): PortalSummary[] {
    return [...this.portals.values()].map((p) => ({ portalId: p.id, startOrigin: new URL(p.startUrl).origin, currentOrigin: p.currentOrigin() }));
  }

  async status(): Promise<PortalStatus> {
    const portals = this.list();
    if (process.platform !== 'linux') return { portals, nss: { applies: false, dbDir: null, registered: [] } };
    const dbDir = defaultNssDbDir();
    try {
      const registered = existsSync(path.join(dbDir, 'cert9.db')) ? (await listNssModules(dbDir)).map((m) => m.name).filter((n) => n.startsWith(MODULE_NAME_PREFIX)) : [];
      return { portals, nss: { applies: true, dbDir, registered } };
    } catch (e) {
      return { portals, nss: { applies: true, dbDir, registered: [], error: toErrorInfo(e) } };
    }
  }

  async unregisterModules(): Promise<string[]> {
    if (process.platform !== 'linux') return [];
    const dbDir = defaultNssDbDir();
    return existsSync(path.join(dbDir, 'cert9.db')) ? unregisterNssModules(dbDir) : [];
  }

  private track(portal: PortalWindow): void {
    this.portals.set(portal.id, portal);
    portal.window.on('closed', () => {
      if (this.portals.get(portal.id) === portal) this.portals.delete(portal.id);
      this.changed();
    });
    this.changed();
  }

  private changed(): void {
    this.deps.onChange(this.list());
  }

  /**
   * Linux: Chromium's TLS finds client certificates through NSS (sql:$HOME/.pki/nssdb), so
   * Signet's PKCS#11 modules are registered there — only after the user agrees
   * (docs/tls-client-auth.md). Modules that need environment variables (e.g. a SoftHSM2 config)
   * cannot be loaded by NSS and are skipped. Windows and macOS use the OS store: nothing to do.
   */
  private async ensureModules(): Promise<void> {
    if (process.platform !== 'linux') return;
    const { services, logger } = this.deps;
    const modules = services.client.modules.filter((m) => !m.env || Object.keys(m.env).length === 0).map((m) => ({ name: path.basename(m.path), libraryPath: m.path }));
    if (modules.length === 0) return;
    const s = this.deps.strings();
    try {
      const r = await ensureNssModules({
        modules,
        confirm: async (missing, dbDir) => {
          const options: Electron.MessageBoxOptions = {
            type: 'question',
            buttons: [s.nssYes, s.nssNo],
            defaultId: 0,
            cancelId: 1,
            message: s.nssMessage,
            detail: fill(s.nssDetail, { modules: missing.map((m) => m.name).join(', '), db: dbDir }),
          };
          const w = this.deps.getMainWindow();
          const answer = w ? await dialog.showMessageBox(w, options) : await dialog.showMessageBox(options);
          return answer.response === 0;
        },
      });
      logger.info('nss modules', { registered: r.registered });
    } catch (e) {
      logger.warn('nss modules not registered', { message: e instanceof Error ? e.message : String(e) });
    }
  }
}
