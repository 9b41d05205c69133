import { dirname, resolve } from "node:path";
import { DEFAULT_SAFETY } from "./defaults.js";
import {
  CrossDeviceAtomicityError,
  ErrorCode,
  fromSystemError,
  SafeAtomicError,
} from "./errors.js";
import { syncDirectory, syncDirectorySync } from "./internal/dir-sync.js";
import { ops } from "./internal/fs-ops.js";
import { enqueue } from "./internal/path-queue.js";
import { canonicalKey } from "./internal/target.js";
import { checkSafety, type SafetyPolicy, validateSafety } from "./safety.js";
import { emitUnsupportedEnvironmentWarning } from "./warnings.js";

/**
 * Options of {@link moveAtomic}.
 * @since 0.1.0
 */
export interface MoveAtomicOptions {
  /** Replace an existing destination. Default `false`: never clobber, even under a race. */
  readonly force?: boolean;
  /** Safety policy (default `"strict"`). Cross-device moves are refused under every policy. */
  readonly safety?: SafetyPolicy;
}

interface MovePlan {
  src: string;
  dst: string;
  force: boolean;
  safety: SafetyPolicy;
}

function planMove(src: string, dst: string, options: MoveAtomicOptions): MovePlan {
  for (const [name, p] of [
    ["src", src],
    ["dst", dst],
  ] as const) {
    if (typeof p !== "string" || p.length === 0) {
      throw new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, `${name} must be a non-empty string`);
    }
  }
  let safety: SafetyPolicy;
  try {
    safety = validateSafety(options.safety ?? DEFAULT_SAFETY);
  } catch (err) {
    throw new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, (err as Error).message);
  }
  const a = resolve(src);
  const b = resolve(dst);
  checkSafety(dirname(b), ["AtomicVisibility", "CrossDeviceSafety"], safety);
  let srcDev: number;
  try {
    srcDev = ops.lstatSync(a).dev;
  } catch (err) {
    throw fromSystemError(err, { syscall: "lstat", path: a });
  }
  let dstDev: number;
  try {
    dstDev = ops.statSync(dirname(b)).dev;
  } catch (err) {
    throw fromSystemError(err, { syscall: "stat", path: dirname(b) });
  }
  if (srcDev !== dstDev) throw new CrossDeviceAtomicityError(a, b);
  return { src: a, dst: b, force: options.force ?? false, safety };
}

function crossDevice(err: unknown, p: MovePlan): never {
  if ((err as { code?: string }).code === "EXDEV")
    throw new CrossDeviceAtomicityError(p.src, p.dst, { cause: err });
  throw fromSystemError(err, { path: p.dst });
}

type MoveStep = { readonly op: () => void } | { readonly syncDir: string };

/**
 * The steps of a move, in order. Without force: link, fsync dst dir, unlink,
 * fsync src dir (DESIGN.md section 7.5). With force: rename, fsync both dirs.
 */
function moveSteps(p: MovePlan): MoveStep[] {
  const srcDir = dirname(p.src);
  const dstDir = dirname(p.dst);
  if (p.force) {
    const steps: MoveStep[] = [{ op: () => renameEntry(p) }, { syncDir: dstDir }];
    if (srcDir !== dstDir) steps.push({ syncDir: srcDir });
    return steps;
  }
  return [
    { op: () => linkEntry(p) },
    { syncDir: dstDir },
    { op: () => unlinkSource(p) },
    { syncDir: srcDir },
  ];
}

function renameEntry(p: MovePlan): void {
  try {
    ops.renameSync(p.src, p.dst);
  } catch (err) {
    crossDevice(err, p);
  }
}

function linkEntry(p: MovePlan): void {
  // No clobber even under a race: link fails if dst exists (never check-then-rename).
  try {
    ops.linkSync(p.src, p.dst);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "EEXIST") {
      throw new SafeAtomicError(ErrorCode.ALREADY_EXISTS, `destination already exists: ${p.dst}`, {
        path: p.dst,
        syscall: "link",
        errno: "EEXIST",
        cause: err,
      });
    }
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP") {
      throw new SafeAtomicError(
        ErrorCode.INVALID_ARGUMENT,
        `moveAtomic without force moves regular files on filesystems with hard links; ${p.src} cannot be linked (${code}); use force: true`,
        { path: p.src, syscall: "link", errno: code, cause: err },
      );
    }
    crossDevice(err, p);
  }
}

function unlinkSource(p: MovePlan): void {
  try {
    ops.unlinkSync(p.src);
  } catch (err) {
    throw fromSystemError(err, {
      syscall: "unlink",
      path: p.src,
      message: `moved to ${p.dst} but could not remove the source`,
    });
  }
}

function dirFailure(err: unknown, p: MovePlan, dir: string): void {
  const e = fromSystemError(err, {
    syscall: "fsync",
    path: dir,
    message: "directory fsync after move failed",
  });
  if (p.safety === "strict") {
    throw new SafeAtomicError(ErrorCode.DIRECTORY_FSYNC_FAILED, e.message, {
      path: dir,
      errno: e.errno,
      cause: err,
    });
  }
  if (p.safety === "warn") emitUnsupportedEnvironmentWarning(e.message, dir);
}

/**
 * Moves `src` to `dst` atomically on one filesystem. Without `force` it
 * never replaces an existing `dst`, even under a race: `link(src, dst)`,
 * fsync of dst's directory, `unlink(src)`, fsync of src's directory, so that
 * no crash leaves both names missing. With `force`: `rename`, then both
 * directories are fsynced. A cross-device move is refused under every safety
 * policy, also when EXDEV appears only at rename time (the original error is
 * the `cause`). Queued with writes of `dst` in this process.
 *
 * @throws {CrossDeviceAtomicityError} `CROSS_DEVICE`.
 * @throws {SafeAtomicError} `ALREADY_EXISTS` (no force), `NOT_FOUND`,
 *   `PERMISSION_DENIED`, `UNSUPPORTED_ENVIRONMENT`, `DIRECTORY_FSYNC_FAILED`.
 * @since 0.1.0
 */
export function moveAtomic(
  src: string,
  dst: string,
  options: MoveAtomicOptions = {},
): Promise<void> {
  let p: MovePlan;
  try {
    p = planMove(src, dst, options);
  } catch (err) {
    return Promise.reject(err);
  }
  const plan = p;
  return enqueue(canonicalKey(plan.dst), plan, async () => {
    for (const step of moveSteps(plan)) {
      if ("op" in step) step.op();
      else {
        try {
          await syncDirectory(step.syncDir);
        } catch (err) {
          dirFailure(err, plan, step.syncDir);
        }
      }
    }
  });
}

/**
 * Synchronous {@link moveAtomic}.
 * @since 0.1.0
 */
export function moveAtomicSync(src: string, dst: string, options: MoveAtomicOptions = {}): void {
  const p = planMove(src, dst, options);
  for (const step of moveSteps(p)) {
    if ("op" in step) step.op();
    else {
      try {
        syncDirectorySync(step.syncDir);
      } catch (err) {
        dirFailure(err, p, step.syncDir);
      }
    }
  }
}
