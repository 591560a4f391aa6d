/**
 * Builds the services behind the IPC handlers — the same way for the Electron app (token hosts in
 * utilityProcesses) and the browser harness (Node child processes): TokenClient over the
 * configured / discovered modules, core's KeySigner (logins through the app's PinPrompt), the
 * token and document-signing services, and the loopback web API with its consent queue backed by
 * the user's remembered origins. Plain Node: no 'electron' import.
 */
import path from 'node:path';
import { TokenClient } from '../../../native/client';
import { SignetError } from '../../../native/errors';
import type { HostLauncher } from '../../../native/launcher';
import type { ModuleSpec } from '../../../native/types';
import { loadConfig, timeoutsOf, type SignetConfig } from '../../core/config';
import { createKeyDocumentSigner } from '../../core/key-document-signer';
import { KeySigner } from '../../core/key-signer';
import { authenticationRules, pinCacheSetting } from '../../core/pin-policy';
import type { PinPrompt } from '../../core/pin-prompt';
import { HistoryStore } from '../../core/history';
import { PlacementStore } from '../../core/placements/store';
import { TrustAnchorStore } from '../../core/pki/trust-anchors';
import { moduleSpecs } from '../../core/tokens';
import type { SigningPolicy } from '../../core/pki/signing-checks';
import { ConsentBroker, consentService, type OriginStore } from '../../web-api';
import { startWebApiWorker, type WebApiWorkerHandle } from '../../web-api/worker/host';
import { createCoreWebApiServices } from '../../web-api/core-services';
import type { Logger } from '../logs/logger';
import type { AppServices, ConsentService } from '../services';
import type { SettingsStore } from '../settings/store';
import { createSigningService } from './signing-service';
import { recordWebHistory } from './web-history';
import { ClientTokenService } from './token-service';

export interface CreateAppServicesOptions {
  launcher: HostLauncher;
  pinPrompt: PinPrompt;
  logger: Logger;
  settings: SettingsStore;
  appVersion: string;
  configDir: string;
  /** Loaded config (paths, user config, admin policy); default loadConfig(). */
  config?: SignetConfig;
  /** Modules to use instead of config + discovery (harness, tests). */
  modules?: ModuleSpec[];
  /** Extra trust anchor files (PEM/DER) besides the config's and the policy's (harness, tests). */
  trustAnchorFiles?: string[];
  /** Web API port: a number (0 = any free port), null = do not start it; default the settings' port. */
  apiPort?: number | null;
  consentTimeoutMs?: number;
  onConsentAttention?: () => void;
  callTimeoutMs?: number;
  slotPollIntervalMs?: number;
}

export interface CreatedServices extends AppServices {
  tokens: ClientTokenService;
  /** The consent queue (the web API's, or one of its own when the API is off): the TLS window's picker uses it too. */
  consentBroker: ConsentBroker;
  client: TokenClient;
  keySigner: KeySigner;
  webApiUrl?: string;
}


/** The user's remembered origins live in the settings (revocable there); the policy's are read-only. */
function settingsOriginStore(settings: SettingsStore): OriginStore {
  return {
    policyOrigins: () => settings.get().policyOrigins,
    rememberedOrigins: () => settings.get().allowedOrigins.map((o) => o.origin),
    remember: (origin) => void settings.rememberOrigin(origin),
  };
}

export async function createAppServices(opts: CreateAppServicesOptions): Promise<CreatedServices> {
  let config: SignetConfig;
  try {
    config = opts.config ?? loadConfig();
  } catch (e) {
    // A broken config or policy file must not keep the app from starting: use the defaults and say so.
    opts.logger.error('config not loaded', { message: e instanceof Error ? e.message : String(e) });
    config = { paths: { configDir: opts.configDir, dataDir: opts.configDir, logDir: opts.configDir, userConfigFile: '', policyFile: '' }, user: { version: 1, modules: [] }, policy: { version: 1, modules: [] } } as SignetConfig;
  }
  // The CLI's rules (core/tokens.ts): policy modules and allowedModules, the user's discovery switches.
  const modules = opts.modules ?? moduleSpecs(config);
  opts.logger.info('modules', { modules: modules.map((m) => `${m.path} (${m.source})`) });
  const timeouts = timeoutsOf(config);
  const callTimeoutMs = opts.callTimeoutMs ?? timeouts.callMs;

  const client = new TokenClient({
    modules,
    launcher: opts.launcher,
    callTimeoutMs,
    pinPadTimeoutMs: timeouts.pinPadMs,
    ...(opts.slotPollIntervalMs ? { slotPollIntervalMs: opts.slotPollIntervalMs } : {}),
  });
  client.start();
  // A card pulled ends its cached signing login with it; lock the others too (conservative: a
  // removal event does not always name the token).
  client.onSlotEvent((e) => {
    if (e.kind === 'removed') void keySigner.lock().catch(() => undefined);
  });
  // PIN policy (core/pin-policy.ts): per action unless the user or the admin policy keeps
  // signing logins for some minutes; the policy may relax the login purpose rules.
  const keySigner = new KeySigner(client, {
    callTimeoutMs,
    pinPadTimeoutMs: timeouts.pinPadMs,
    pinCacheMinutes: () => pinCacheSetting(config.user, config.policy).minutes,
    authenticationRules: () => authenticationRules(config.policy),
    onLogoutError: (tokenUri, e) => opts.logger.warn('logout after an action failed', { token: tokenUri, message: e instanceof Error ? e.message : String(e) }),
  });
  const policySigning = config.policy.signing;
  const policy: SigningPolicy | undefined = policySigning
    ? {
        ...(policySigning.allowExpired !== undefined ? { allowExpired: policySigning.allowExpired } : {}),
        ...(policySigning.allowPurposeMismatch !== undefined ? { allowWrongPurpose: policySigning.allowPurposeMismatch } : {}),
      }
    : undefined;

  const dataDir = config.paths.dataDir || opts.configDir;
  const trust = new TrustAnchorStore({
    userConfigFile: config.paths.userConfigFile || path.join(opts.configDir, 'config.json'),
    policyFile: config.paths.policyFile || path.join(opts.configDir, 'policy.json'),
    extraFiles: opts.trustAnchorFiles ?? [],
  });
  for (const p of trust.list().problems) opts.logger.warn('trust anchor not read', { file: p.fileName, source: p.source, message: p.message });
  const anchors = (): Uint8Array[] => trust.ders();
  const history = new HistoryStore(path.join(dataDir, 'history.json'));
  const placements = new PlacementStore(path.join(dataDir, 'stamp-placements.json'));
  const tokens = new ClientTokenService({
    client,
    logger: opts.logger,
    ...(policy ? { policy } : {}),
    trustAnchors: anchors,
    setPin: (tokenUri, oldPin, newPin) => client.setPin(tokenUri, oldPin, newPin),
  });
  const signing = createSigningService({
    signerFor: (certificate, signal) => {
      if (!certificate.keyUri) throw new SignetError('KEY_NOT_FOUND', 'This certificate has no private key on the token.');
      return createKeyDocumentSigner({
        keySigner,
        keyUri: certificate.keyUri,
        pinPrompt: opts.pinPrompt,
        client,
        requireSigningPurpose: !policy?.allowWrongPurpose,
        signal,
      });
    },
    policy: () => policy,
    trustAnchors: anchors,
  });

  // The consent queue lives here (the window answers it, the TLS window's picker shares it); the
  // web API itself runs in a worker thread (electron/web-api/worker), off this thread.
  const consentBroker = new ConsentBroker({
    ...(opts.consentTimeoutMs ? { timeoutMs: opts.consentTimeoutMs } : {}),
    ...(opts.onConsentAttention ? { onAttention: () => opts.onConsentAttention?.() } : {}),
  });
  let consent: ConsentService = consentService(consentBroker);
  let webApi: WebApiWorkerHandle | undefined;
  const apiPort = opts.apiPort === undefined ? (config.policy.webApi?.port ?? opts.settings.get().apiPort) : opts.apiPort;
  if (apiPort !== null && !config.policy.webApi?.disabled) {
    try {
      webApi = await startWebApiWorker({
        services: recordWebHistory(history, createCoreWebApiServices({
          appVersion: opts.appVersion,
          snapshot: () => tokens.snapshot(),
          keySigner,
          pinPrompt: opts.pinPrompt,
          documentOptions: () => ({ ...(policy ? { policy } : {}) }),
        })),
        origins: settingsOriginStore(opts.settings),
        broker: consentBroker,
        port: apiPort,
        settings: () => ({
          allowHttpLocalhost: opts.settings.get().allowHttpLocalhost,
          // Size limit of /v1/sign-document: admin policy, else user config, else 25 MB.
          ...((config.policy.webApi?.maxDocumentBytes ?? config.user.webApi?.maxDocumentBytes) !== undefined
            ? { maxDocumentBytes: (config.policy.webApi?.maxDocumentBytes ?? config.user.webApi?.maxDocumentBytes) as number }
            : {}),
        }),
        onConfigChange: (listener) => opts.settings.onChange(() => listener()),
        log: (line) => opts.logger.info('web api', { line }),
      });
      const origins = webApi.origins;
      consent = { ...consent, revokeOrigin: (origin: string) => origins.revoke(origin) };
      opts.logger.info('web api started', { url: webApi.url });
    } catch (e) {
      // Port taken (another Signet, another program): signing in the app still works.
      opts.logger.error('web api not started', { port: apiPort, message: e instanceof Error ? e.message : String(e) });
    }
  }

  return {
    client,
    keySigner,
    pinCache: keySigner,
    consentBroker,
    tokens,
    signing,
    history,
    trust,
    placements,
    consent,
    ...(webApi ? { webApiUrl: webApi.url } : {}),
    async close() {
      await webApi?.close();
      // Quitting ends any cached signing login.
      await keySigner.lock().catch(() => undefined);
      await client.close();
    },
  };
}
