import type { z } from 'zod';
import type { Result } from '../../../../native/errors';
import type { MethodValue, PreloadMethod, PreloadMethods, SignetMethod } from '../../../api';
import type { HandlerContext } from '../context';
import type { METHOD_SCHEMAS, PRELOAD_SCHEMAS } from '../schemas';

/** A handler: a plain async function of the injected context and the validated argument. */
export type Handler<M extends SignetMethod> = (ctx: HandlerContext, arg: z.infer<(typeof METHOD_SCHEMAS)[M]>) => Promise<Result<MethodValue<M>>>;

export type PreloadHandler<M extends PreloadMethod> = (
  ctx: HandlerContext,
  arg: z.infer<(typeof PRELOAD_SCHEMAS)[M]>,
) => ReturnType<PreloadMethods[M]>;
