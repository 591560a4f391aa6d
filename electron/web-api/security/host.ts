/**
 * DNS-rebinding defence: a page on evil.example can make its own host name resolve to 127.0.0.1,
 * and the browser then treats our port as same-origin with it. The Host header still says
 * evil.example, so we answer only `127.0.0.1:PORT` and `localhost:PORT` — one Host header, exact.
 */
export function checkHost(values: readonly string[] | undefined, port: number): boolean {
  if (values === undefined || values.length !== 1 || values[0] === undefined) return false;
  const host = values[0].toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}
