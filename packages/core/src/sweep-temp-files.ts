import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ErrorCode, fromSystemError, SafeAtomicError } from "./errors.js";
import { ops } from "./internal/fs-ops.js";
import { liveTemps } from "./internal/temp-file.js";
import { isTempBasename, tempOwnerPid } from "./internal/temp-name.js";

/** Default age after which a temp file of unknown owner (e.g. the Python library's) is swept. @since 0.1.0 */
export const DEFAULT_FOREIGN_TEMP_MAX_AGE_MS = 60 * 60 * 1000;

/** Options of {@link sweepTempFiles}. @since 0.1.0 */
export interface SweepTempFilesOptions {
  /**
   * Temp files whose writer cannot be identified (names written by the Python
   * library carry no pid) are removed only when older than this (by mtime).
   * Default one hour.
   */
  readonly foreignMaxAgeMs?: number;
  /** Report what would be removed without removing it. Default `false`. */
  readonly dryRun?: boolean;
}

/** What {@link sweepTempFiles} did. @since 0.1.0 */
export interface SweepResult {
  /** Temp files removed (or that would be, with `dryRun`). */
  readonly removed: readonly string[];
  /** Temp files kept, with the reason. */
  readonly kept: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

/**
 * Removes `.safeatomic-tmp-*.tmp` files that dead writers left in `dir`.
 * Our temp names carry the writer's pid: a file is removed when that process
 * is gone, and kept while it lives (also when the pid was reused: never a live
 * writer's file). Names without a pid (the Python library's) are removed only
 * past `foreignMaxAgeMs`. Not recursive.
 *
 * @throws {SafeAtomicError} `NOT_FOUND`, `NOT_A_DIRECTORY`, `PERMISSION_DENIED`.
 * @since 0.1.0
 */
export function sweepTempFiles(dir: string, options: SweepTempFilesOptions = {}): SweepResult {
  if (typeof dir !== "string" || dir.length === 0) {
    throw new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, "dir must be a non-empty string");
  }
  const abs = resolve(dir);
  const maxAge = options.foreignMaxAgeMs ?? DEFAULT_FOREIGN_TEMP_MAX_AGE_MS;
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch (err) {
    throw fromSystemError(err, { syscall: "scandir", path: abs });
  }
  const removed: string[] = [];
  const kept: { path: string; reason: string }[] = [];
  const now = ops.now();
  for (const name of names) {
    if (!isTempBasename(name)) continue;
    const p = join(abs, name);
    if (liveTemps.has(p)) {
      kept.push({ path: p, reason: "being written by this process" });
      continue;
    }
    const pid = tempOwnerPid(name);
    let remove: boolean;
    if (pid !== null && pid !== process.pid) {
      remove = !pidAlive(pid);
      if (!remove) kept.push({ path: p, reason: `writer pid ${pid} is alive` });
    } else {
      // No pid (a foreign name), or this process's pid but not one of this
      // thread's live temps (a worker thread may be writing it): by age only.
      let age: number;
      try {
        age = now - ops.lstatSync(p).mtimeMs;
      } catch {
        continue;
      }
      remove = age > maxAge;
      if (!remove)
        kept.push({ path: p, reason: `unknown writer, ${Math.round(age / 1000)} s old` });
    }
    if (!remove) continue;
    if (!options.dryRun) {
      try {
        ops.unlinkSync(p);
      } catch (err) {
        if ((err as { code?: string }).code === "ENOENT") continue;
        throw fromSystemError(err, { syscall: "unlink", path: p });
      }
    }
    removed.push(p);
  }
  return { removed, kept };
}
