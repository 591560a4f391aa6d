import type { HostMethod, HostParams, HostResult } from '../../protocol';
import type { HostContext } from '../context';

/** One host command: `handle(params, ctx)` (one file per command, registered in commands/index.ts). */
export type Handler<M extends HostMethod> = (params: HostParams<M>, ctx: HostContext) => HostResult<M> | Promise<HostResult<M>>;
