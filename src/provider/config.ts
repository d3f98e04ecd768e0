/**
 * Provider settings from stack configuration (`fansly:*`) with environment fallbacks. Read once per provider
 * process, validated with zod, and every problem names the key and both ways to set it.
 */
import { z } from "zod";
import { ACCOUNT_ID_PATTERN, FanslyConfigError, FanslyError, type FanslyClientOptions } from "../client";
import { apiKeyProblem } from "../client/options";
import { RATE_COORDINATOR_ENV } from "../client/internal/rateCoordinator";
import { messageOf } from "../thrown";

/** What `configure` receives from Pulumi: a lookup of stack config by key. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Stack config keys, each with its environment fallback (undefined where there is none). */
export const CONFIG_KEYS = {
  apiKey: { key: "fansly:apiKey", env: "FANSLY_API_KEY", secret: true },
  accountId: { key: "fansly:accountId", env: "FANSLY_ACCOUNT_ID", secret: false },
  baseUrl: { key: "fansly:baseUrl", env: "FANSLY_API_BASE_URL", secret: false },
  timeoutMs: { key: "fansly:timeoutMs", env: undefined, secret: false },
  maxRetries: { key: "fansly:maxRetries", env: undefined, secret: false },
  maxRetryTimeMs: { key: "fansly:maxRetryTimeMs", env: undefined, secret: false },
  // An environment fallback so a runner can give each stack its share of the key's minute (a CI matrix job) without
  // editing the stack's file; stack config still wins.
  maxRequestsPerMinute: { key: "fansly:maxRequestsPerMinute", env: "FANSLY_MAX_REQUESTS_PER_MINUTE", secret: false },
  listingReuseMs: { key: "fansly:listingReuseMs", env: undefined, secret: false },
  maxCreditsPerUpdate: { key: "fansly:maxCreditsPerUpdate", env: undefined, secret: false },
} as const;

export type SettingName = keyof typeof CONFIG_KEYS;
/** The client's number options, set by the settings of the same names. */
type ClientNumberSetting = "timeoutMs" | "maxRetries" | "maxRetryTimeMs" | "maxRequestsPerMinute" | "listingReuseMs";
/** Whole numbers that must be at least 1 (0 requests a minute would send nothing; a budget of 0 likewise). */
const AT_LEAST_ONE: readonly SettingName[] = ["maxRequestsPerMinute", "maxCreditsPerUpdate"];

export interface ProviderSettings {
  /** Options for the provider's one `FanslyClient`. */
  client: Omit<FanslyClientOptions, "dispatcher" | "logger">;
  /** Account for links that name none (`fansly:accountId`). */
  defaultAccountId: string | undefined;
  /** Credits (requests) one update of this provider may spend at most (`fansly:maxCreditsPerUpdate`); undefined: no limit. */
  maxCreditsPerUpdate?: number | undefined;
}

/** How to set a setting in stack config (and its environment fallback): the fix a message names. */
export function howToSet(name: SettingName, example: string): string {
  const { key, env, secret } = CONFIG_KEYS[name];
  const viaConfig = `pulumi config set${secret ? " --secret" : ""} ${key} ${example}`;
  return env === undefined ? `run \`${viaConfig}\`` : `run \`${viaConfig}\`, or set the ${env} environment variable`;
}

/** How to set it on an explicit provider resource (`new Provider(…)`, `pulumi:providers:fansly` in YAML) instead. */
function howToSetOnProvider(name: SettingName): string {
  const { env } = CONFIG_KEYS[name];
  return env === undefined ? `set this provider's \`${name}\`` : `set this provider's \`${name}\`, or the ${env} environment variable`;
}

/** Where a provider's settings come from: stack config (the dynamic face, a default provider) or an explicit provider's inputs. */
export type SettingsSource = "stack config" | "provider inputs";

/** How to set a setting where this provider's settings come from (`source`): the fix every message names. */
export function howToSetIn(source: SettingsSource, name: SettingName, example: string = EXAMPLES[name]): string {
  return source === "stack config" ? howToSet(name, example) : howToSetOnProvider(name);
}

/** A setting as a message names it: its stack config key, or the explicit provider's argument. */
function settingLabel(source: SettingsSource, name: SettingName): string {
  return source === "stack config" ? CONFIG_KEYS[name].key : `this provider's ${name}`;
}

/** An example value for each setting, as a fix shows it. */
const EXAMPLES: Readonly<Record<SettingName, string>> = {
  apiKey: "<your apifansly key>",
  accountId: "<account id>",
  baseUrl: "https://v1.apifansly.com",
  timeoutMs: "30000",
  maxRetries: "4",
  maxRetryTimeMs: "120000",
  maxRequestsPerMinute: "600",
  listingReuseMs: "10000",
  maxCreditsPerUpdate: "2000",
};

function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(CONFIG_KEYS, name);
}

/**
 * A client error's message, completed with where this provider's user sets each client option it names (the
 * client names its options, `apiKey`, `baseUrl`…, and cannot know the host). Each face calls this where it hands
 * an error to the engine.
 */
export function withWhereToSet(error: unknown, source: SettingsSource): string {
  const message = messageOf(error);
  if (!(error instanceof FanslyError)) return message;
  const fixes = error.options.filter(isSettingName).map((name) => `${name}: ${howToSetIn(source, name)}`);
  if (fixes.length === 0) return message;
  return `${message} (${fixes.join("; ")})${source === "stack config" && error.status === 401 ? KEY_CHANGED_IN_STACK_CONFIG : ""}`;
}

/**
 * Measured with the CLI: `refresh` and `destroy` configure the provider from the state the last update saved, not
 * from the stack config, so a key rotated in stack config is only sent once an update (or a refresh that runs the
 * program) has saved it.
 */
const KEY_CHANGED_IN_STACK_CONFIG =
  ". Changed fansly:apiKey? refresh and destroy keep sending the key saved by the last update until " +
  "`pulumi refresh --run-program` (or `pulumi up`) saves the new one";

/** One bad setting: which, what is wrong with it, and how to set it in stack config. */
export interface SettingProblem {
  name: SettingName;
  /** Follows the key: "is not set", "must be a whole number", … */
  reason: string;
  /** The stack-config fix, e.g. "run `pulumi config set fansly:maxRetries 4`". */
  howToSet: string;
}

const WholeNumber = z.string().regex(/^\d+$/, "must be a whole number").transform(Number);

/**
 * Reads and checks the provider's settings; throws `FanslyConfigError` listing every bad key, each with its fix
 * where `source` says this provider's settings are set.
 */
export function resolveProviderSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env, source: SettingsSource = "stack config"): ProviderSettings {
  const read = readProviderSettings(config, env);
  if ("settings" in read) return read.settings;
  const described = read.problems.map((problem) => `${settingLabel(source, problem.name)} ${problem.reason}: ${fixOf(problem, source)}`);
  // No `options`: each fix is in the message already, so no face adds it again (withWhereToSet).
  throw new FanslyConfigError(`Fansly provider configuration: ${described.join("; ")}`);
}

/** A bad setting's fix where `source` says it is set (a problem carries the stack-config one). */
export function fixOf(problem: SettingProblem, source: SettingsSource): string {
  return source === "stack config" ? problem.howToSet : howToSetOnProvider(problem.name);
}

/** The settings, or every problem with them (the plugin face's CheckConfig reports each against its property). */
export function readProviderSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): { settings: ProviderSettings } | { problems: SettingProblem[] } {
  const read = (name: SettingName): string | undefined => {
    const { key, env: envName } = CONFIG_KEYS[name];
    const value = config.get(key) ?? (envName === undefined ? undefined : env[envName]);
    return value === undefined || value === "" ? undefined : value;
  };
  const problems: SettingProblem[] = [];

  const apiKey = read("apiKey");
  // Refused where it is read: a key no header can carry would otherwise fail only at the first request.
  const keyProblem = apiKey === undefined ? "is not set" : apiKeyProblem(apiKey);
  if (keyProblem !== undefined) problems.push({ name: "apiKey", reason: keyProblem, howToSet: howToSet("apiKey", EXAMPLES.apiKey) });

  const numbers: Partial<Record<ClientNumberSetting | "maxCreditsPerUpdate", number>> = {};
  for (const name of ["timeoutMs", "maxRetries", "maxRetryTimeMs", "maxRequestsPerMinute", "listingReuseMs", "maxCreditsPerUpdate"] as const) {
    const raw = read(name);
    if (raw === undefined) continue;
    const parsed = WholeNumber.safeParse(raw.trim());
    if (parsed.success && (parsed.data >= 1 || !AT_LEAST_ONE.includes(name))) numbers[name] = parsed.data;
    else problems.push({ name, reason: parsed.success ? "must be at least 1" : "must be a whole number", howToSet: howToSet(name, EXAMPLES[name]) });
  }
  const { maxCreditsPerUpdate, ...clientNumbers } = numbers;

  const defaultAccountId = read("accountId");
  if (defaultAccountId !== undefined && !ACCOUNT_ID_PATTERN.test(defaultAccountId)) {
    problems.push({
      name: "accountId",
      reason: "must be apifansly's account id (letters, digits, _ or -, like fansly_…; the apifansly dashboard lists yours)",
      howToSet: howToSet("accountId", EXAMPLES.accountId),
    });
  }

  if (problems.length > 0) return { problems };

  const baseUrl = read("baseUrl");
  // Set by `pulumi-fansly fleet` for the stacks it runs side by side (the client checks it): not a stack setting.
  const rateCoordinatorUrl = env[RATE_COORDINATOR_ENV];
  return {
    settings: {
      client: {
        apiKey: apiKey ?? "",
        ...(baseUrl === undefined ? {} : { baseUrl }),
        ...clientNumbers,
        ...(rateCoordinatorUrl === undefined || rateCoordinatorUrl === "" ? {} : { rateCoordinatorUrl }),
      },
      defaultAccountId,
      maxCreditsPerUpdate,
    },
  };
}
