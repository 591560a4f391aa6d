/** The app's own origin, and origins of URLs as the window checks compare them. */

/** The renderer is served from app://signet/ only. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'signet';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * `scheme://host[:port]` of a URL, for any scheme (WHATWG URL gives custom schemes an opaque
 * origin, but app:// is registered as a standard scheme in Chromium, so it has a real one); null
 * when it does not parse. Electron hands permission checks their origin as a URL with a trailing
 * slash ("app://signet/"): this normalises both forms.
 */
export function safeOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}
