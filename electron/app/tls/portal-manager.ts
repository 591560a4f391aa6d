/**
 * The app's portal windows (./portal-window.ts): opening one (on Linux, first registering Signet's
 * PKCS#11 modules in the NSS database Chromium reads — only after the user agrees,
 * ./nss-modules.ts) and closing them all when Signet quits.
 */
import { dialog, type BrowserWindow } from 'electron';
import path from 'node:path';
import type { Logger } from '../logs/logger';
import { fill, type MainStrings } from '../main-strings';
import type { PinBroker } from '../pin/pin-broker';
import type { CreatedServices } from '../services/create';
import { consentPicker } from './consent-picker';
import { ensureNssModules } from './nss-modules';
import { openPortalWindow, type PortalWindow } from './portal-window';

export interface PortalManagerDeps {
  services: CreatedServices;
  pins: PinBroker;
  logger: Logger;
  strings(): MainStrings;
  getMainWindow(): BrowserWindow | null;
  focusMain(): void;
}

export class PortalManager {
  private readonly open_ = new Set<PortalWindow>();

  constructor(private readonly deps: PortalManagerDeps) {}

  async open(url: string): Promise<void> {
    await this.ensureModules();
    const { services, pins, focusMain } = this.deps;
    const portal = openPortalWindow(url, {
      certificates: async () => (await services.tokens.snapshot()).certificates,
      tokens: async () => (await services.tokens.snapshot()).tokens,
      pickCertificate: consentPicker(services.consentBroker),
      pinPrompt: pins,
      focusMain,
    });
    this.open_.add(portal);
    portal.window.on('closed', () => this.open_.delete(portal));
  }

  closeAll(): void {
    for (const p of this.open_) p.close();
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
