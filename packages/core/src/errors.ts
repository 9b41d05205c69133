import { constants as osConstants } from "node:os";

/**
 * Stable error codes of every safeatomic package. A caller branches on
 * `error.code`; the strings never change within a major version.
 *
 * @since 0.1.0
 */
export const ErrorCode = {
  /** A guarantee the call needs is not provided here and the safety policy is `strict`. */
  UNSUPPORTED_ENVIRONMENT: "UNSUPPORTED_ENVIRONMENT",
  /** Data on disk does not match its checksum sidecar. */
  CHECKSUM_MISMATCH: "CHECKSUM_MISMATCH",
  /** The checksum sidecar is missing. */
  CHECKSUM_MISSING: "CHECKSUM_MISSING",
  /** The checksum sidecar exists but cannot be parsed (empty, truncated, garbage). */
  CHECKSUM_CORRUPT: "CHECKSUM_CORRUPT",
  /** An atomic move across filesystems was asked for. */
  CROSS_DEVICE: "CROSS_DEVICE",
  /** The lock is held by another owner. */
  LOCK_HELD: "LOCK_HELD",
  /** Waiting for a lock timed out. */
  LOCK_TIMEOUT: "LOCK_TIMEOUT",
  /** The lock file exists but its payload is not a valid lock. */
  LOCK_CORRUPT: "LOCK_CORRUPT",
  /** Any other lock failure (missing directory, permissions, a lock path that is a directory). */
  LOCK_ERROR: "LOCK_ERROR",
  /** A write made no progress or the temp file did not reach the expected size. */
  SHORT_WRITE: "SHORT_WRITE",
  /** ENOSPC: no space left on the device. */
  NO_SPACE: "NO_SPACE",
  /** EDQUOT: disk quota exceeded. */
  QUOTA_EXCEEDED: "QUOTA_EXCEEDED",
  /** EFBIG: the file is larger than the process or filesystem allows. */
  FILE_TOO_LARGE: "FILE_TOO_LARGE",
  /** EIO: the device reported an I/O error. */
  IO_ERROR: "IO_ERROR",
  /** EROFS: the filesystem is read-only. */
  READ_ONLY_FILESYSTEM: "READ_ONLY_FILESYSTEM",
  /** EACCES / EPERM. */
  PERMISSION_DENIED: "PERMISSION_DENIED",
  /** ENOENT: the file or its directory does not exist. */
  NOT_FOUND: "NOT_FOUND",
  /** The target exists and the call asked for it not to (`exclusive`, `moveAtomic` without `force`). */
  ALREADY_EXISTS: "ALREADY_EXISTS",
  /** ENOTDIR. */
  NOT_A_DIRECTORY: "NOT_A_DIRECTORY",
  /** EISDIR: the target is a directory. */
  IS_A_DIRECTORY: "IS_A_DIRECTORY",
  /** ELOOP / a symlink under `symlinks: "refuse"`. */
  SYMLINK_REFUSED: "SYMLINK_REFUSED",
  /** EMFILE / ENFILE: out of file descriptors. */
  TOO_MANY_OPEN_FILES: "TOO_MANY_OPEN_FILES",
  /** A bad argument (type, range, unknown option value). */
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  /** The data could not be encoded with the requested encoding. */
  ENCODING_ERROR: "ENCODING_ERROR",
  /** A structured file could not be parsed. */
  PARSE_ERROR: "PARSE_ERROR",
  /** A value could not be serialised. */
  SERIALIZE_ERROR: "SERIALIZE_ERROR",
  /** An input is larger than the configured bound. */
  TOO_LARGE: "TOO_LARGE",
  /** The operation was aborted (AbortSignal, source stream error, `abort()`). */
  ABORTED: "ABORTED",
  /** A writer or reader was used after it was closed, committed or aborted. */
  CLOSED: "CLOSED",
  /** The directory fsync after the rename failed (the new content is visible, durability unconfirmed). */
  DIRECTORY_FSYNC_FAILED: "DIRECTORY_FSYNC_FAILED",
  /** A commit observer (e.g. a checksum sidecar) failed after the data was published. */
  OBSERVER_FAILED: "OBSERVER_FAILED",
  /** Any other operating-system error; `errno` says which. */
  IO_FAILED: "IO_FAILED",
} as const;

/** One of the {@link ErrorCode} strings. @since 0.1.0 */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const BRAND: unique symbol = Symbol.for("safeatomic.error") as never;

/** Fields every {@link SafeAtomicError} may carry. @since 0.1.0 */
export interface SafeAtomicErrorOptions {
  readonly path?: string | undefined;
  readonly syscall?: string | undefined;
  readonly errno?: string | undefined;
  readonly cause?: unknown;
}

/**
 * The base class of every error safeatomic throws on purpose. `code` is stable;
 * `errno` is the operating-system code (`"ENOSPC"`) when one caused it; the
 * original error is `cause`. Recognised across two installed copies of the
 * package with {@link isSafeAtomicError}.
 *
 * @since 0.1.0
 */
export class SafeAtomicError extends Error {
  override name = "SafeAtomicError";
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly syscall: string | undefined;
  readonly errno: string | undefined;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options: SafeAtomicErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
    this.syscall = options.syscall;
    this.errno = options.errno;
  }
}

/**
 * A guarantee the call requires is `nontarget` or `unsupported` here and the
 * safety policy is `strict`. Thrown before any I/O.
 * @since 0.1.0
 */
export class UnsupportedEnvironmentError extends SafeAtomicError {
  override name = "UnsupportedEnvironmentError";
  constructor(message: string, options: SafeAtomicErrorOptions = {}) {
    super(ErrorCode.UNSUPPORTED_ENVIRONMENT, message, options);
  }
}

/**
 * The bytes read do not match the checksum sidecar.
 * @since 0.1.0
 */
export class ChecksumMismatchError extends SafeAtomicError {
  override name = "ChecksumMismatchError";
  readonly expected: string;
  readonly actual: string;
  constructor(
    path: string,
    expected: string,
    actual: string,
    options: SafeAtomicErrorOptions = {},
  ) {
    super(
      ErrorCode.CHECKSUM_MISMATCH,
      `checksum mismatch for ${path}: expected ${expected}, got ${actual}`,
      { ...options, path },
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * An atomic move across filesystems was asked for; refused under every safety
 * policy (a copy + delete is not atomic).
 * @since 0.1.0
 */
export class CrossDeviceAtomicityError extends SafeAtomicError {
  override name = "CrossDeviceAtomicityError";
  readonly src: string;
  readonly dst: string;
  constructor(src: string, dst: string, options: SafeAtomicErrorOptions = {}) {
    super(
      ErrorCode.CROSS_DEVICE,
      `cross-device atomic move not supported: ${src} -> ${dst} (different filesystems); copy the file and move it within the destination filesystem instead`,
      { ...options, path: dst },
    );
    this.src = src;
    this.dst = dst;
  }
}

/**
 * A lock could not be taken, released or read. `code` is `LOCK_HELD`,
 * `LOCK_CORRUPT` or `LOCK_ERROR`.
 * @since 0.1.0
 */
export class LockError extends SafeAtomicError {
  override name = "LockError";
}

/**
 * Waiting for a lock ran past its timeout.
 * @since 0.1.0
 */
export class LockTimeoutError extends LockError {
  override name = "LockTimeoutError";
  constructor(message: string, options: SafeAtomicErrorOptions = {}) {
    super(ErrorCode.LOCK_TIMEOUT, message, options);
  }
}

/**
 * True for any error thrown by safeatomic, also from another installed copy.
 * @since 0.1.0
 */
export function isSafeAtomicError(value: unknown): value is SafeAtomicError {
  return (
    typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}

const errnoNames = new Map<number, string>();
for (const [name, num] of Object.entries(osConstants.errno)) {
  errnoNames.set(-num, name);
}

const CODE_OF_ERRNO: Readonly<Record<string, ErrorCode>> = {
  ENOSPC: ErrorCode.NO_SPACE,
  EDQUOT: ErrorCode.QUOTA_EXCEEDED,
  EFBIG: ErrorCode.FILE_TOO_LARGE,
  EIO: ErrorCode.IO_ERROR,
  EROFS: ErrorCode.READ_ONLY_FILESYSTEM,
  EACCES: ErrorCode.PERMISSION_DENIED,
  EPERM: ErrorCode.PERMISSION_DENIED,
  ENOENT: ErrorCode.NOT_FOUND,
  EEXIST: ErrorCode.ALREADY_EXISTS,
  ENOTDIR: ErrorCode.NOT_A_DIRECTORY,
  EISDIR: ErrorCode.IS_A_DIRECTORY,
  ELOOP: ErrorCode.SYMLINK_REFUSED,
  EXDEV: ErrorCode.CROSS_DEVICE,
  EMFILE: ErrorCode.TOO_MANY_OPEN_FILES,
  ENFILE: ErrorCode.TOO_MANY_OPEN_FILES,
};

/**
 * The errno name of a Node system error. Node reports some errnos it has no
 * name for as `"Unknown system error -122"` (EDQUOT on Linux); the numeric
 * `errno` recovers them.
 * @internal
 */
export function errnoName(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { code?: unknown; errno?: unknown };
  if (typeof e.code === "string" && /^E[A-Z0-9]+$/.test(e.code)) return e.code;
  if (typeof e.errno === "number") return errnoNames.get(e.errno) ?? errnoNames.get(-e.errno);
  if (typeof e.code === "string") {
    const m = /Unknown system error (-?\d+)/.exec(e.code);
    if (m) return errnoNames.get(Number(m[1])) ?? errnoNames.get(-Number(m[1]));
  }
  return undefined;
}

/**
 * Maps any error thrown by `fs` to a {@link SafeAtomicError} with a stable code,
 * keeping the original as `cause`. A SafeAtomicError passes through unchanged.
 * @internal
 */
export function fromSystemError(
  err: unknown,
  context: { readonly syscall?: string; readonly path?: string; readonly message?: string } = {},
): SafeAtomicError {
  if (isSafeAtomicError(err)) return err;
  const errno = errnoName(err);
  const code = (errno ? CODE_OF_ERRNO[errno] : undefined) ?? ErrorCode.IO_FAILED;
  const syscall =
    context.syscall ??
    (typeof (err as { syscall?: unknown })?.syscall === "string"
      ? (err as { syscall: string }).syscall
      : undefined);
  const detail = err instanceof Error ? err.message : String(err);
  const what = context.message ?? `${syscall ?? "operation"} failed`;
  return new SafeAtomicError(
    code,
    `${what}${context.path ? ` for ${context.path}` : ""}: ${errno ?? "error"} (${detail})`,
    { path: context.path, syscall, errno, cause: err },
  );
}
