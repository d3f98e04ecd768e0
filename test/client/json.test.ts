import { parseJsonKeepingBigIntegers, quoteUnsafeIntegers } from "../../src/client/internal/json";

describe("parseJsonKeepingBigIntegers", () => {
  test("an 18-digit integer keeps every digit, as a string", () => {
    expect(parseJsonKeepingBigIntegers('{"id":845759434926862336,"n":[-900719925474099312]}')).toEqual({
      id: "845759434926862336",
      n: ["-900719925474099312"],
    });
  });

  test("safe numbers, decimals and exponents stay numbers", () => {
    expect(parseJsonKeepingBigIntegers('{"a":9007199254740991,"b":1.5,"c":1e21,"d":-3}')).toEqual({ a: 9007199254740991, b: 1.5, c: 1e21, d: -3 });
  });

  test("digits inside strings, escaped quotes included, are left alone", () => {
    const text = '{"d":"say \\"845759434926862336\\" twice 845759434926862336"}';
    expect(quoteUnsafeIntegers(text)).toBe(text);
  });

  test("invalid JSON still throws a SyntaxError", () => {
    expect(() => parseJsonKeepingBigIntegers('{"a":')).toThrow(SyntaxError);
  });
});
