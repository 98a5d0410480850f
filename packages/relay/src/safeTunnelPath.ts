/**
 * A visitor's path as the app may receive it through a tunnel, or undefined when it could
 * leave the app: a path that is not origin-form, or one that a URL parser, a proxy or the
 * app's router might read as another host or a parent folder (`/\host`, `//host`, `%2f`,
 * `%5c`, `..`, control characters). Checked on both ends of the tunnel: the relay refuses such
 * a visitor, and the app's side refuses such a frame even from a relay it does not trust.
 * @example safeTunnelPath("/ws?room=1") // "/ws?room=1"; safeTunnelPath("/\\127.0.0.1:22/") // undefined
 */
export function safeTunnelPath(path: string): string | undefined {
  if (!path.startsWith("/") || path.length > 8192) return undefined;
  const q = path.indexOf("?");
  const pathname = q < 0 ? path : path.slice(0, q);
  if (/[\\\u0000-\u001f\u007f\s#]/.test(pathname) || pathname.startsWith("//")) return undefined;
  if (/%(2f|5c|2e|00)/i.test(pathname)) return undefined;
  if (pathname.split("/").some((segment) => segment === ".." || segment === ".")) return undefined;
  if (q >= 0 && /[\u0000-\u001f\u007f\s#]/.test(path.slice(q))) return undefined;
  return path;
}
