import { TEMP_PREFIX, TEMP_SUFFIX } from "../defaults.js";
import { ops } from "./fs-ops.js";

// The 16 hex of a temp name: 8 hex pid, 4 hex random, 4 hex check over the
// first 12. The check tells our names (whose pid can be trusted for sweeping)
// from the Python library's 16 random hex digits (1 in 65,536 false match).

function check16(hex12: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < hex12.length; i++) {
    h ^= hex12.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return ((h ^ (h >>> 16)) & 0xffff).toString(16).padStart(4, "0");
}

/** A fresh temp basename: `.safeatomic-tmp-<16 hex>.tmp`. */
export function tempBasename(pid: number = process.pid): string {
  const head =
    (pid >>> 0).toString(16).padStart(8, "0") +
    (ops.randomToken() & 0xffff).toString(16).padStart(4, "0");
  return `${TEMP_PREFIX}${head}${check16(head)}${TEMP_SUFFIX}`;
}

const TEMP_RE = /^\.safeatomic-tmp-([0-9a-f]{16})\.tmp$/;

/** True for any name in the shared temp pattern (ours or the Python library's). */
export function isTempBasename(name: string): boolean {
  return TEMP_RE.test(name);
}

/** The writer pid encoded in one of our temp names, or `null` for a foreign name. */
export function tempOwnerPid(name: string): number | null {
  const m = TEMP_RE.exec(name);
  if (!m?.[1]) return null;
  const hex = m[1];
  if (check16(hex.slice(0, 12)) !== hex.slice(12)) return null;
  const pid = Number.parseInt(hex.slice(0, 8), 16);
  return pid > 0 ? pid : null;
}
