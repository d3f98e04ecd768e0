/**
 * JSON parsing that keeps large integers exact.
 *
 * Fansly ids are 18-digit snowflakes (`845759434926862336`). If a reply ever sends one as a JSON number,
 * `JSON.parse` silently rounds it (to `845759434926862300`) and we would manage — or delete — the wrong link.
 * `JSON.parse`'s source-text access is not in Node 20, so integer literals beyond `Number.MAX_SAFE_INTEGER` are
 * quoted before parsing; the schemas then accept the id as a digit string.
 */

import { randomUUID } from "node:crypto";

/** Returns the parsed value, or throws `SyntaxError` exactly as `JSON.parse` would. */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** Wraps every integer literal that does not fit a double exactly in quotes; string contents are left alone. */
export function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (ch === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (ch === "-" || (ch >= "0" && ch <= "9")) {
      let end = i + 1;
      while (end < text.length && /[0-9eE.+-]/.test(text[end] ?? "")) end++;
      const literal = text.slice(i, end);
      out += isUnsafeInteger(literal) ? `"${literal}"` : literal;
      i = end;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Index just past the closing quote of the string starting at `start` (or the end of text if unterminated). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\") i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  return text.length;
}

function isUnsafeInteger(literal: string): boolean {
  return /^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal));
}

/**
 * JSON text of `value` with every bigint written as its exact digits: a JSON number of any size, which
 * `parseJsonKeepingBigIntegers` reads back exact and a plain `JSON.parse` reads as the nearest number (so a file
 * written so stays readable by programs, and releases, that know only numbers).
 */
export function stringifyKeepingBigIntegers(value: unknown, indent?: number): string {
  // A marker no text can hold by chance: a label may be any string, so a fixed one could be forged.
  const marker = `bigint-${randomUUID()}:`;
  const text = JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? `${marker}${item.toString()}` : item), indent);
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, "g"), "$1");
}
