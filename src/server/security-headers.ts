import type { MiddlewareHandler } from 'hono';

/**
 * The built UI loads only its own script and stylesheet (no inline script or style; React sets
 * styles through the DOM, which CSP allows), so its policy needs no 'unsafe-inline': a report
 * whose Markdown smuggled an event handler past the renderer still could not run it.
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** API answers are data, never pages: nothing in them may load or run. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Headers on every response: no sniffing, no framing, no referrer, no cross-origin reads. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    const html = (h.get('content-type') ?? '').startsWith('text/html');
    h.set('Content-Security-Policy', html ? UI_CSP : API_CSP);
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (c.req.path.startsWith('/api/')) h.set('Cache-Control', 'no-store');
  };
}
