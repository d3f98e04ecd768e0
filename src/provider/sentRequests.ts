/**
 * The requests a provider's client really sends, counted under its rate limiter and retries (every attempt, as the
 * API bills them): the "sent" side of the cost lines (costs.ts). Counted on the dispatcher, the one place every
 * attempt passes — a retry of undici's, a POST sent again after a look, a confirming listing alike.
 */
import { Agent, type Dispatcher } from "undici";
import { FanslyClient } from "../client";
import { kindOfMethod, RequestCounts } from "./costs";
import type { ProviderSettings } from "./config";

/** The client's own keep-alive (src/client/internal/requester.ts keeps idle connections 30 s too). */
const KEEP_ALIVE_TIMEOUT_MS = 30_000;

/** Requests sent by kind, and when the first and the last left. */
export class SentRequests {
  readonly counts = new RequestCounts();
  firstAtMs: number | undefined;
  lastAtMs: number | undefined;

  record(method: string, now: number = Date.now()): void {
    this.counts.add(kindOfMethod(method), 1);
    this.firstAtMs ??= now;
    this.lastAtMs = now;
  }

  /** From the first request to the last one's start (0 when fewer than two). */
  elapsedMs(): number {
    return this.firstAtMs === undefined || this.lastAtMs === undefined ? 0 : this.lastAtMs - this.firstAtMs;
  }
}

/** An interceptor that records each request it passes on. */
function countingInterceptor(sent: SentRequests): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    sent.record(options.method);
    return dispatch(options, handler);
  };
}

/** A client whose every attempt is counted into `sent`; it owns (and closes) its agent as a plain client does. */
export function countingClient(settings: ProviderSettings, sent: SentRequests): FanslyClient {
  const agent = new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  const client = new FanslyClient({ ...settings.client, dispatcher: agent.compose(countingInterceptor(sent)) });
  const closeClient = client.close.bind(client);
  return Object.assign(client, {
    close: async (): Promise<void> => {
      await closeClient();
      await agent.close();
    },
  });
}
