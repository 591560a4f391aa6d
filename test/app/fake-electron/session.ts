/**
 * `session` and `protocol`.
 * https://www.electronjs.org/docs/latest/api/session — "session.defaultSession … cannot be used
 * before the ready event"; "session.fromPartition(partition) … returns the same session for the
 * same partition string".
 * https://www.electronjs.org/docs/latest/api/protocol — "protocol.registerSchemesAsPrivileged …
 * can only be used before the ready event of the app module gets emitted and can be called only
 * once"; the protocol module's handlers belong to the default session; `ses.protocol` is the same
 * API for another session; `protocol.handle(scheme, handler)` answers a Request with a Response.
 */
import { EventEmitter } from 'node:events';
import type { CustomScheme, Protocol, Session } from 'electron';
import { DOCS, FakeElectronError, journal, requireNotReady, requireReady } from './runtime';
import { strict } from './strict';

type Handler = (request: Request) => Response | Promise<Response>;
type PermissionCheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];
type PermissionRequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type DevicePermissionHandler = Parameters<Session['setDevicePermissionHandler']>[0];

/** The schemes registered with registerSchemesAsPrivileged (one call only). */
let privilegedSchemes: CustomScheme[] | null = null;

export function privilegesOf(scheme: string): CustomScheme['privileges'] | undefined {
  return privilegedSchemes?.find((s) => s.scheme === scheme)?.privileges;
}

export class FakeProtocol implements Pick<Protocol, 'handle' | 'unhandle' | 'isProtocolHandled'> {
  readonly handlers = new Map<string, Handler>();

  /** https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler */
  handle(scheme: string, handler: Handler): void {
    if (this.handlers.has(scheme)) throw new Error(`The scheme has been registered: ${scheme}`);
    this.handlers.set(scheme, handler);
  }

  /** https://www.electronjs.org/docs/latest/api/protocol#protocolunhandlescheme */
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }

  /** https://www.electronjs.org/docs/latest/api/protocol#protocolisprotocolhandledscheme */
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }

  /** What Chromium does for a request on a custom scheme: the handler's Response, or a failed load. */
  async fetch(url: string): Promise<Response> {
    const scheme = new URL(url).protocol.replace(/:$/, '');
    const handler = this.handlers.get(scheme);
    if (!handler) throw new FakeElectronError(`no protocol handler for ${scheme}: (the load would fail with ERR_UNKNOWN_URL_SCHEME)`);
    return handler(new Request(url, { method: 'GET' }));
  }
}

export class FakeSession extends EventEmitter
  implements Pick<Session, 'setPermissionCheckHandler' | 'setPermissionRequestHandler' | 'setDevicePermissionHandler'>
{
  readonly protocol: FakeProtocol = strict(new FakeProtocol(), 'session.protocol');
  permissionCheck: PermissionCheckHandler = null;
  permissionRequest: PermissionRequestHandler = null;
  devicePermission: DevicePermissionHandler = null;

  constructor(readonly partition: string) {
    super();
  }

  /** https://www.electronjs.org/docs/latest/api/session#sessetpermissioncheckhandlerhandler */
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheck = handler;
  }

  /** https://www.electronjs.org/docs/latest/api/session#sessetpermissionrequesthandlerhandler */
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequest = handler;
  }

  /** https://www.electronjs.org/docs/latest/api/session#sessetdevicepermissionhandlerhandler */
  setDevicePermissionHandler(handler: DevicePermissionHandler): void {
    this.devicePermission = handler;
  }
}

const sessions = new Map<string, FakeSession>();

export function sessionFor(partition: string): FakeSession {
  let s = sessions.get(partition);
  if (!s) {
    s = strict(new FakeSession(partition), `session(${partition || 'default'})`);
    sessions.set(partition, s);
  }
  return s;
}

export const sessionModule = strict(
  {
    get defaultSession(): FakeSession {
      requireReady('session.defaultSession', `${DOCS}/session#sessiondefaultsession`);
      return sessionFor('');
    },
    fromPartition(partition: string): FakeSession {
      requireReady('session.fromPartition()', `${DOCS}/session#sessionfrompartitionpartition-options`);
      return sessionFor(partition);
    },
  },
  'session',
);

export const protocolModule = strict(
  {
    /** https://www.electronjs.org/docs/latest/api/protocol#protocolregisterschemesasprivilegedcustomschemes */
    registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void {
      requireNotReady('protocol.registerSchemesAsPrivileged()', `${DOCS}/protocol#protocolregisterschemesasprivilegedcustomschemes`);
      if (privilegedSchemes) throw new FakeElectronError('protocol.registerSchemesAsPrivileged() "can be called only once"');
      privilegedSchemes = customSchemes;
      for (const s of customSchemes) journal({ t: 'scheme', scheme: s.scheme, privileges: { ...(s.privileges as Record<string, boolean>) } });
    },
    /** The protocol module acts on the default session. */
    handle(scheme: string, handler: Handler): void {
      requireReady('protocol.handle()', `${DOCS}/protocol#protocolhandlescheme-handler`);
      sessionFor('').protocol.handle(scheme, handler);
    },
  },
  'protocol',
);

