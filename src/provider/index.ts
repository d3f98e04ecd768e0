/**
 * The dynamic provider's room: `import { resolveProviderSettings } from "pulumi-fansly/provider"`.
 * The `TrackingLink` provider itself arrives with the resource; its configuration lives here already.
 */
export { resolveProviderSettings, CONFIG_KEYS, type ConfigSource, type ProviderSettings } from "./config";
