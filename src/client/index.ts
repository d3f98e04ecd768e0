/** The apifansly client: `import { FanslyClient } from "pulumi-fansly/client"`. */
export { FanslyClient } from "./client";
export { AccountsApi } from "./accounts";
export {
  TrackingLinksApi,
  findCreatedLink,
  findLinkById,
  isLinkAlreadyGone,
  MAX_LIST_PAGES,
  CREATE_MATCH_CLOCK_SKEW_MS,
  type NewTrackingLink,
  type TrackingLinkUpdate,
  type DeleteResult,
  type ListOptions,
} from "./trackingLinks";
export {
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_TIME_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_LISTING_REUSE_MS,
  type FanslyClientOptions,
  type FanslyLogEvent,
} from "./options";
export {
  FanslyError,
  FanslyConfigError,
  FanslyAuthError,
  FanslyNotFoundError,
  FanslyValidationError,
  FanslyRateLimitError,
  FanslyQuotaError,
  FanslyServerError,
  FanslyNetworkError,
  FanslyTimeoutError,
  FanslyProtocolError,
  type FanslyErrorCode,
} from "./errors";
export {
  TrackingLinkSchema,
  TrackingLinkIdSchema,
  EnvelopeSchema,
  isBuiltInLink,
  ACCOUNT_ID_PATTERN,
  LINK_ID_PATTERN,
  BUILT_IN_LINK_TYPE,
  CUSTOM_LINK_TYPE,
  type TrackingLink,
  type Account,
} from "./schemas";
export { RETRYABLE_STATUSES } from "./internal/retry";
export { isOutcomeUnknown, confirmAfterUnknown } from "./recovery";
