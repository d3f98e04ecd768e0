/**
 * Secret redaction shared by every error and log line the package produces.
 *
 * A client registers its API key here when it is constructed; `FanslyError`'s constructor and the request logger
 * pass every string through `redactSecrets`, so no call site can leak a key by interpolating a server message that
 * happens to echo it (octokit's `RequestError` drops the authorization header for the same reason).
 */

/** Shorter strings are not registered: redacting "a" everywhere would wreck messages and protect nothing. */
const MIN_SECRET_LENGTH = 4;
/** What a secret is replaced with. */
const REDACTED = "[REDACTED]";

const registeredSecrets = new Set<string>();

/** Remembers `secret` so that every later error message and log line has it replaced by `[REDACTED]`. */
export function registerSecret(secret: string): void {
  if (secret.length >= MIN_SECRET_LENGTH) registeredSecrets.add(secret);
}

/** Replaces every registered secret, and any `x-api-key` header value, in `text`. */
export function redactSecrets(text: string): string {
  let redacted = text;
  for (const secret of registeredSecrets) {
    redacted = redacted.split(secret).join(REDACTED);
  }
  // A header dump echoed back by a proxy names the key even when it is not one we registered.
  return redacted.replace(/(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1${REDACTED}`);
}

/** A short, single-line, redacted excerpt of a reply body for error messages. */
export function excerptOf(text: string, maxLength = 200): string {
  const oneLine = redactSecrets(text).replace(/\s+/g, " ").trim();
  return oneLine.length > maxLength ? `${oneLine.slice(0, maxLength)}…` : oneLine;
}
