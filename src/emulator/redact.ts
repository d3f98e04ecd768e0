const REDACTED = "[redacted]";

/**
 * The key is never recorded from its header; this catches it where a confused client might have put it instead
 * (a query parameter, a body field), so the request log cannot hold it whatever the client does.
 */
export function redactKeys(value: unknown, apiKeys: readonly string[]): unknown {
  if (typeof value === "string") return apiKeys.reduce((text, key) => text.split(key).join(REDACTED), value);
  if (Array.isArray(value)) return value.map((item: unknown) => redactKeys(item, apiKeys));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [redactKeys(name, apiKeys), redactKeys(item, apiKeys)]),
    );
  }
  return value;
}
