/** The one rule for "the outcome is unknown", shared by the client's create and the provider's update and delete. */
import {
  FanslyAuthError,
  FanslyNetworkError,
  FanslyNotFoundError,
  FanslyProtocolError,
  FanslyServerError,
  FanslyTimeoutError,
  FanslyValidationError,
  isOutcomeUnknown,
  confirmAfterUnknown,
} from "../../src/client";

const SITE = { method: "PUT", path: "/api/fansly/fansly_1/tracking-links", attempts: 1 };

describe("isOutcomeUnknown", () => {
  test.each([
    ["a connection reset after sending", new FanslyNetworkError("reset", { ...SITE, causeCode: "ECONNRESET" }), true],
    ["a timeout waiting for the reply", new FanslyTimeoutError("timeout", { ...SITE, causeCode: "UND_ERR_HEADERS_TIMEOUT" }), true],
    ["a reply cut off mid-body", new FanslyNetworkError("cut", { ...SITE, causeCode: "UND_ERR_SOCKET", replyStarted: true }), true],
    ["an unreadable reply", new FanslyProtocolError("a link", "<html>", SITE), true],
    ["a gateway's 502 after every retry", new FanslyServerError("FANSLY_SERVER", "502", { ...SITE, status: 502 }), true],
    ["a gateway's 504 after every retry", new FanslyServerError("FANSLY_SERVER", "504", { ...SITE, status: 504 }), true],
    ["a refused connection (nothing was sent)", new FanslyNetworkError("refused", { ...SITE, causeCode: "ECONNREFUSED" }), false],
    ["a connect timeout (nothing was sent)", new FanslyTimeoutError("connect", { ...SITE, causeCode: "UND_ERR_CONNECT_TIMEOUT" }), false],
    ["a 500 the server chose to send", new FanslyServerError("FANSLY_SERVER", "500", { ...SITE, status: 500 }), false],
    ["a 404", new FanslyNotFoundError("FANSLY_NOT_FOUND", "404", { ...SITE, status: 404 }), false],
    ["a 400", new FanslyValidationError("FANSLY_VALIDATION", "400", { ...SITE, status: 400 }), false],
    ["a 401", new FanslyAuthError("FANSLY_AUTH", "401", { ...SITE, status: 401 }), false],
    ["an error of another kind", new Error("bug"), false],
  ])("%s: %s", (_what, error, unknown) => {
    expect(isOutcomeUnknown(error)).toBe(unknown);
  });
});

describe("confirmAfterUnknown", () => {
  const lost = new FanslyNetworkError("reset", { ...SITE, causeCode: "ECONNRESET" });

  test("an unknown outcome that the account shows applied is success: the look's answer is returned", async () => {
    await expect(confirmAfterUnknown(lost, () => Promise.resolve("applied"))).resolves.toBe("applied");
  });

  test("an unknown outcome that the account does not show is the original error", async () => {
    await expect(confirmAfterUnknown(lost, () => Promise.resolve(undefined))).rejects.toBe(lost);
  });

  test("a known outcome is rethrown without looking", async () => {
    const look = jest.fn(() => Promise.resolve("applied"));
    const refused = new FanslyNetworkError("refused", { ...SITE, causeCode: "ECONNREFUSED" });
    await expect(confirmAfterUnknown(refused, look)).rejects.toBe(refused);
    expect(look).not.toHaveBeenCalled();
  });
});
