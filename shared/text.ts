/**
 * C0 and C1 control characters (ESC starts terminal escape sequences, CR rewrites a line) and the Unicode
 * bidirectional overrides that reorder what a reader sees (CVE-2021-42574, "Trojan Source"). Tag values,
 * rule descriptions and names come from whoever can tag a resource; on a terminal they are data, not commands.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text safe for a terminal or a plain-text log: each unsafe character becomes a visible `\u{…}` escape. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** For JSON written to a terminal: JSON.stringify escapes C0 controls only; this escapes the rest the same way JSON does. */
export function escapeJsonControl(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
