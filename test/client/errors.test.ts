import {
  FanslyAuthError,
  FanslyError,
  FanslyNotFoundError,
  FanslyProtocolError,
  FanslyQuotaError,
  FanslyServerError,
  FanslyValidationError,
} from "../../src/client";
import { ACCOUNT, LINKS_PATH, errorEnvelope, linkJson, mockClient, type MockSetup } from "./helpers";

let setup: MockSetup;

beforeEach(() => {
  setup = mockClient({ maxRetries: 0 });
});

afterEach(async () => {
  setup.agent.assertNoPendingInterceptors();
  await setup.agent.close();
});

async function listFailure(): Promise<FanslyError> {
  const error = await setup.client.trackingLinks.list(ACCOUNT).catch((e: unknown) => e);
  if (!(error instanceof FanslyError)) throw new Error(`expected a FanslyError, got ${String(error)}`);
  return error;
}

describe("error mapping", () => {
  test.each([
    [401, "Invalid or missing API key", FanslyAuthError, "FANSLY_AUTH", /check the apiKey option/],
    [403, "Forbidden", FanslyAuthError, "FANSLY_AUTH", /may not use this account; check the apiKey option and the account id/],
    [404, "Account not found", FanslyNotFoundError, "FANSLY_NOT_FOUND", /check the account id/],
    [400, "Invalid request parameters", FanslyValidationError, "FANSLY_VALIDATION", /server said "Invalid request parameters"/],
    [422, "label too long", FanslyValidationError, "FANSLY_VALIDATION", /server said "label too long"/],
    [500, "Internal server error", FanslyServerError, "FANSLY_SERVER", /try again later/],
    [402, "Monthly credits exhausted", FanslyQuotaError, "FANSLY_QUOTA", /top up in the apifansly dashboard/],
  ] as const)("HTTP %i becomes %p… with a message that names the fix", async (status, message, errorClass, code, fix) => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(status, errorEnvelope(status, message));
    const error = await listFailure();
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ code, status, method: "GET", path: LINKS_PATH, attempts: 1 });
    expect(error.message).toMatch(fix);
    expect(error.message).toContain(`GET ${LINKS_PATH}`);
  });

  test.each([
    [401, ["apiKey"]],
    [403, ["apiKey"]],
    [429, ["maxRequestsPerMinute"]],
    [404, []],
  ] as const)("HTTP %i: the message names the client's own options (%p), never one host's `pulumi config` or fansly:* key", async (status, options) => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(status, errorEnvelope(status, "refused"));
    const error = await listFailure();
    expect(error.options).toEqual(options);
    for (const option of options) expect(error.message).toContain(`the ${option} option`);
    expect(error.message).not.toMatch(/fansly:|pulumi config|FANSLY_API_KEY/);
  });

  test("an error inside an HTTP 200 (envelope statusCode) is that error", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, errorEnvelope(401, "Invalid API key"));
    expect(await listFailure()).toBeInstanceOf(FanslyAuthError);
  });

  test("Fansly's inner status_code inside a 200 is that error, with Fansly's message", async () => {
    setup.pool
      .intercept({ path: LINKS_PATH, method: "GET" })
      .reply(200, { statusCode: 200, message: "Success", data: { status_code: 400, data: { success: false, error: { details: "label required" } } } });
    const error = await listFailure();
    expect(error).toBeInstanceOf(FanslyValidationError);
    expect(error.message).toContain('"label required"');
  });

  test("success: false with a 2xx status everywhere is still a failure", async () => {
    setup.pool
      .intercept({ path: LINKS_PATH, method: "GET" })
      .reply(200, { statusCode: 200, message: "Success", data: { status_code: 200, data: { success: false, message: "nope" } } });
    expect(await listFailure()).toBeInstanceOf(FanslyValidationError);
  });

  test("a proxy's HTML error page maps by status and quotes a short excerpt", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(500, `<html><body>${"Bad things ".repeat(100)}</body></html>`);
    const error = await listFailure();
    expect(error).toBeInstanceOf(FanslyServerError);
    expect(error.message.length).toBeLessThan(400);
  });

  test("a 200 that is not JSON is a protocol error naming the envelope", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, '{"statusCode":200,"mess').times(2); // a GET is read once more before it is reported
    const error = await listFailure();
    expect(error).toBeInstanceOf(FanslyProtocolError);
    expect(error.message).toMatch(/expected a JSON envelope \{ statusCode, message, data, timestamp \} \(the body is not JSON\)/);
    expect(asProtocolError(error).excerpt).toBe('{"statusCode":200,"mess');
  });

  test("valid JSON of the wrong shape is a protocol error naming the envelope", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, { ok: true }).times(2); // a GET is read once more before it is reported
    const error = await listFailure();
    expect(error).toBeInstanceOf(FanslyProtocolError);
    expect(error.message).toMatch(/expected a JSON envelope/);
  });

  test("a long wrong reply is cut to a short excerpt", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(200, scoped404([linkJson({ id: { nested: "x".repeat(5000) } })])).times(2); // a GET is read once more before it is reported
    const error = asProtocolError(await listFailure());
    expect(error.excerpt.length).toBeLessThanOrEqual(201);
  });

  test("an unexpected 3xx is a protocol error rather than a silent success", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(302, errorEnvelope(302, "Found")).times(2); // a GET is read once more before it is reported
    expect(await listFailure()).toBeInstanceOf(FanslyProtocolError);
  });
});

function scoped404(response: unknown): Record<string, unknown> {
  return { statusCode: 200, message: "Success", data: { status_code: 200, data: { success: true, response } } };
}

function asProtocolError(error: FanslyError): FanslyProtocolError {
  if (!(error instanceof FanslyProtocolError)) throw new Error(`expected a FanslyProtocolError, got ${error.name}`);
  return error;
}

describe("failures that reached no server", () => {
  const lookupError = (code: string): Error => Object.assign(new Error(`getaddrinfo ${code} v1.apifansly.com`), { code, syscall: "getaddrinfo" });

  test.each(["ENOTFOUND", "EAI_AGAIN"])("a name that did not resolve (%s) says nothing was applied, not 'may or may not'", async (code) => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).replyWithError(lookupError(code));
    const error = await listFailure();
    expect(error).toMatchObject({ code: "FANSLY_NETWORK", causeCode: code });
    expect(error.message).toContain("nothing was applied");
    expect(error.message).toContain("did not resolve");
    expect(error.message).not.toContain("may or may not");
  });

  test("a create whose host did not resolve names the POST it was making, with no lookup (GET) after it", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "POST" }).replyWithError(lookupError("ENOTFOUND"));
    const error = await setup.client.trackingLinks.createWithoutDuplicates(ACCOUNT, { label: "Never sent" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "FANSLY_NETWORK", method: "POST", causeCode: "ENOTFOUND" });
    expect(String(error)).toContain(`POST ${LINKS_PATH}`);
    expect(String(error)).toContain("nothing was applied");
  });
});

describe("text from the API in an error message", () => {
  test("a server message with an escape sequence, a NUL and a right-to-left override is shown escaped", async () => {
    setup.pool.intercept({ path: LINKS_PATH, method: "GET" }).reply(400, errorEnvelope(400, "bad \u001b]0;owned\u0007 label\u0000\u202e"));
    const error = await listFailure();
    expect(error.message).toContain("bad \\u001b]0;owned\\u0007 label\\u0000\\u202e");
    expect(error.serverMessage).toBe("bad \\u001b]0;owned\\u0007 label\\u0000\\u202e");
    for (const raw of ["\u0000", "\u0007", "\u001b", "\u202e"]) expect(error.message).not.toContain(raw);
  });
});
