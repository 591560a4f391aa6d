/**
 * Validate, run, and turn anything thrown into an error value. The one path every IPC message
 * takes, in Electron (./register.ts) and in the browser harness. Logs the method, its duration and
 * the error code — never the argument (a PIN may be in it).
 */
import { err, type Result, toErrorInfo } from '../../../native/errors';
import { isSignetMethod, PRELOAD_METHODS, type PreloadMethod, type SignetMethod } from '../../api';
import type { HandlerContext } from './context';
import { HANDLERS, PRELOAD_HANDLERS } from './handlers';
import { describeIssues, METHOD_SCHEMAS, PRELOAD_SCHEMAS } from './schemas';

type AnyHandler = (ctx: HandlerContext, arg: unknown) => Promise<Result<unknown>>;

const isPreloadMethod = (name: unknown): name is PreloadMethod =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(PRELOAD_METHODS, name);

/**
 * @param allowPreloadMethods true only for messages the preload itself sent on its own channel
 *   (Electron: the channel name; harness: never from page script).
 */
export async function dispatch(ctx: HandlerContext, method: string, arg: unknown, allowPreloadMethods = false): Promise<Result<unknown>> {
  let schema;
  let handler: AnyHandler;
  if (isSignetMethod(method)) {
    schema = METHOD_SCHEMAS[method as SignetMethod];
    handler = HANDLERS[method as SignetMethod] as unknown as AnyHandler;
  } else if (allowPreloadMethods && isPreloadMethod(method)) {
    schema = PRELOAD_SCHEMAS[method];
    handler = PRELOAD_HANDLERS[method] as unknown as AnyHandler;
  } else {
    return err({ code: 'INVALID_INPUT', message: 'Unknown method.', retriable: false });
  }
  const parsed = schema.safeParse(arg);
  if (!parsed.success) {
    ctx.logger.warn('ipc input refused', { method, issues: describeIssues(parsed.error) });
    return err({ code: 'INVALID_INPUT', message: `Invalid request: ${describeIssues(parsed.error)}`, retriable: false });
  }
  const started = Date.now();
  try {
    const result = await handler(ctx, parsed.data);
    ctx.logger.debug('ipc', { method, ms: Date.now() - started, ok: result.ok, ...(result.ok ? {} : { code: result.error.code }) });
    return result;
  } catch (e) {
    const info = toErrorInfo(e);
    ctx.logger[info.code === 'INTERNAL' ? 'error' : 'info']('ipc failed', { method, ms: Date.now() - started, code: info.code, message: info.message });
    return err(info);
  }
}
