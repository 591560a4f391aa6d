/** The route table: one entry per path of protocol.ts (a missing route does not compile). */
import type { ApiPath } from '../protocol';
import { authenticateRoute } from './authenticate';
import { certificateRoute } from './certificate';
import type { Route } from './route';
import { signDocumentRoute } from './sign-document';
import { signRoute } from './sign';
import { statusRoute } from './status';

export const ROUTES = {
  '/v1/status': statusRoute,
  '/v1/certificate': certificateRoute,
  '/v1/sign': signRoute,
  '/v1/sign-document': signDocumentRoute,
  '/v1/authenticate': authenticateRoute,
} satisfies { [P in ApiPath]: Route<P> };

export function routeOf(path: string): Route<ApiPath> | undefined {
  return Object.prototype.hasOwnProperty.call(ROUTES, path) ? (ROUTES[path as ApiPath] as Route<ApiPath>) : undefined;
}
