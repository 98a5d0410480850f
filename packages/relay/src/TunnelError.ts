/** Why a tunnel could not be opened (or kept), as `TunnelError#code`. */
export type TunnelErrorCode =
  /** The relay link is not a relay link: no URL, no key. */
  | "bad_link"
  /** Nothing answered: connection refused, host not found, no answer in time, TLS failed. */
  | "unreachable"
  /** The relay does not take this key. */
  | "wrong_key"
  /** The relay answered but will not carry the app (full, not a relay, closed the tunnel). */
  | "refused";

/**
 * A tunnel that could not be opened. The message is one line saying why, written to follow
 * "Could not share through <relay>: ".
 */
export class TunnelError extends Error {
  override readonly name = "TunnelError";
  constructor(
    readonly code: TunnelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
