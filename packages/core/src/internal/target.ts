import type { Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { ErrorCode, fromSystemError, SafeAtomicError } from "../errors.js";
import { ops } from "./fs-ops.js";

/** Symlink policy of a write. @since 0.1.0 */
export type SymlinkPolicy = "follow" | "replace" | "refuse";

/** The file a write replaces, after the symlink policy. */
export interface ResolvedTarget {
  readonly requested: string;
  readonly path: string;
  readonly dir: string;
  readonly basename: string;
  /** The current file (followed), or `null` when there is none. */
  readonly existing: Stats | null;
}

const MAX_LINK_HOPS = 40;

function lstatOrNull(p: string): Stats | null {
  try {
    return ops.lstatSync(p);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw fromSystemError(err, { syscall: "lstat", path: p });
  }
}

/**
 * The key of the in-process queue: the real path of the parent directory plus
 * the basename. Synchronous so that the slot is taken in call order.
 */
export function canonicalKey(absPath: string): string {
  try {
    return join(ops.realpathSync(dirname(absPath)), basename(absPath));
  } catch {
    return absPath;
  }
}

/** Applies the symlink policy to `requested` (absolute) and stats the target. */
export function resolveTarget(requested: string, symlinks: SymlinkPolicy): ResolvedTarget {
  let path = requested;
  let st = lstatOrNull(path);
  if (st?.isSymbolicLink()) {
    if (symlinks === "refuse") {
      throw new SafeAtomicError(
        ErrorCode.SYMLINK_REFUSED,
        `refusing to write through symlink ${requested} (symlinks: "refuse")`,
        {
          path: requested,
        },
      );
    }
    if (symlinks === "replace") {
      st = null;
    } else {
      let hops = 0;
      while (st?.isSymbolicLink()) {
        if (++hops > MAX_LINK_HOPS) {
          throw new SafeAtomicError(
            ErrorCode.SYMLINK_REFUSED,
            `too many levels of symbolic links at ${requested}`,
            {
              path: requested,
              errno: "ELOOP",
            },
          );
        }
        const link = ops.readlinkSync(path);
        path = isAbsolute(link) ? link : resolve(dirname(path), link);
        st = lstatOrNull(path);
      }
    }
  }
  if (st?.isDirectory()) {
    throw new SafeAtomicError(ErrorCode.IS_A_DIRECTORY, `cannot replace a directory: ${path}`, {
      path,
      errno: "EISDIR",
    });
  }
  return { requested, path, dir: dirname(path), basename: basename(path), existing: st };
}
