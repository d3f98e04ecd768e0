/**
 * A plugin-face provider's settings: how its inputs (an explicit `Provider`'s arguments, or the stack config the
 * engine passes a default provider) read as the `fansly:<name>` config keys the provider's settings resolver takes.
 * Used by the plugin's server (CheckConfig, Configure) and by `pulumi-fansly recover`, which lists an account with
 * the settings of the provider its interrupted creates were made with.
 */
import type { ConfigSource, SettingsSource } from "../provider/config";
import { PACKAGE_NAME } from "./tokens";
import type { PlainValue, PropertyValues } from "./wire";

/** A provider setting as text, the form stack config has (an explicit provider may pass numbers). */
export function settingText(value: PlainValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The provider's settings as `fansly:<name>` config keys read them: from its inputs, else from `fallback`
 * (Configure's variables).
 */
export function configSourceOf(args: PropertyValues, fallback: (name: string, key: string) => string | undefined = () => undefined): ConfigSource {
  const prefix = `${PACKAGE_NAME}:`;
  return {
    get: (key) => {
      const name = key.startsWith(prefix) ? key.slice(prefix.length) : key;
      return settingText(args[name]) ?? fallback(name, key);
    },
  };
}

/** A default provider (`…::default` or `…::default_1_2_3`) takes its settings from stack config. */
export function isDefaultProvider(urn: string): boolean {
  const name = urn.split("::").at(-1) ?? "";
  return name === "default" || name.startsWith("default_");
}

/**
 * Where the provider at `urn` takes its settings from: stack config for a default provider, its own inputs for an
 * explicit one. An engine that sends no URN (older than Configure's `urn` field) configures the default provider only.
 */
export function settingsSourceOf(urn: string): SettingsSource {
  return urn === "" || isDefaultProvider(urn) ? "stack config" : "provider inputs";
}
