/**
 * Everything an IPC handler may touch, injected. The Electron main process builds it from real
 * dialogs / shell / BrowserWindow; the browser harness builds it with stand-ins for the OS pieces
 * (a files directory instead of the open dialog) and the same services. No 'electron' import here.
 */
import type { AppInfo, PortalStatus, SignetEvent, SignetEvents } from '../../api';
import type { FileRegistry } from '../files/registry';
import type { Logger } from '../logs/logger';
import type { PinBroker } from '../pin/pin-broker';
import type { AppServices } from '../services';
import type { SettingsStore } from '../settings/store';
import type { PlanStore } from './plans';

export interface Dialogs {
  /** The open dialog: paths the user picked (empty when cancelled). */
  openFiles(opts: { multiple: boolean }): Promise<string[]>;
  /** Settings "ask": a folder for a batch's outputs (null when cancelled). */
  chooseOutputDir(defaultDir: string): Promise<string | null>;
  /** Save a text report; the path written, or null when cancelled. */
  saveText(defaultName: string, text: string): Promise<string | null>;
}

export interface Shell {
  showItemInFolder(filePath: string): void;
  /** Open with the default application; resolves to an error text, or '' when it opened. */
  openPath?(filePath: string): Promise<string>;
}

export interface PortalControl {
  status(): Promise<PortalStatus>;
  /** False when no such portal window is open. */
  switchIdentity(portalId: string): boolean;
  unregisterModules(): Promise<string[]>;
}

export interface HandlerContext {
  services: AppServices;
  files: FileRegistry;
  plans: PlanStore;
  pins: PinBroker;
  settings: SettingsStore;
  dialogs: Dialogs;
  shell: Shell;
  logger: Logger;
  appInfo(): AppInfo;
  emit<E extends SignetEvent>(event: E, payload: SignetEvents[E]): void;
  /** Bring the app window to the front (consent requests). */
  focusWindow(): void;
  /** The in-app TLS window (electron/app/tls); absent where there is no Electron (harness). */
  openPortal?(url: string): Promise<void>;
  /** The open portal windows and the NSS registration (electron/app/tls/portal-manager.ts); absent in the harness. */
  portals?: PortalControl;
}
