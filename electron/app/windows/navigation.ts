/**
 * Where each kind of window may navigate. Pure, so tested without Electron; applied by
 * ./harden.ts to will-navigate, will-redirect and will-frame-navigate.
 */
import { APP_ORIGIN, safeOrigin } from './origins';

/** Navigation policy: may this frame go to `url`? */
export type NavigationPolicy = (url: string, isMainFrame: boolean) => boolean;

/** Signet's own window: app://signet only, every frame. */
export const appOnly: NavigationPolicy = (url) => safeOrigin(url) === APP_ORIGIN;

/**
 * A portal window is a browser for one portal: a login often bounces through an identity provider
 * on another origin, so any https page may load in it — in its own in-memory partition, with no
 * preload and no Node (portal-window.ts). Never http (a man in the middle could inject the page
 * that asks for the card), never file:, app:, data: or other local schemes. Sub-frames may also be
 * about:blank / about:srcdoc, which pages create for their own content.
 */
export const portalNavigation: NavigationPolicy = (url, isMainFrame) => {
  if (!isMainFrame && (url === 'about:blank' || url === 'about:srcdoc')) return true;
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
};
