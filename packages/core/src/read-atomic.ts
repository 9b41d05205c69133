import { constants } from "node:fs";
import { resolve } from "node:path";
import { currentConfig } from "./config.js";
import { DEFAULT_CHUNK_SIZE, DEFAULT_SAFETY, INLINE_WRITE_LIMIT } from "./defaults.js";
import { ErrorCode, fromSystemError, SafeAtomicError } from "./errors.js";
import type { GuaranteeName } from "./guarantees.js";
import type { ReadVerification, ReadVerifier } from "./interfaces.js";
import { normalizeEncoding } from "./internal/data.js";
import { ops } from "./internal/fs-ops.js";
import { checkSafety, type SafetyPolicy, validateSafety } from "./safety.js";

/**
 * Options of {@link readAtomic} and its twins.
 * @since 0.1.0
 */
export interface ReadAtomicOptions {
  /** Encoding for the text variants. Default: the scoped config, else `"utf8"`. */
  readonly encoding?: BufferEncoding;
  /** Checks the bytes read (e.g. `checksumVerifier()` from @safeatomic/checksum). Default none. */
  readonly verify?: ReadVerifier;
  /** Refuse files larger than this many bytes (`TOO_LARGE`) before reading them. Default unbounded. */
  readonly maxBytes?: number;
  /** Safety policy (default `"strict"`). */
  readonly safety?: SafetyPolicy;
}

/** @internal */
export function planRead(
  path: string,
  options: ReadAtomicOptions,
): { abs: string; safety: SafetyPolicy } {
  if (typeof path !== "string" || path.length === 0) {
    throw new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, "path must be a non-empty string");
  }
  let safety: SafetyPolicy;
  try {
    safety = validateSafety(options.safety ?? DEFAULT_SAFETY);
  } catch (err) {
    throw new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, (err as Error).message);
  }
  const abs = resolve(path);
  const required: GuaranteeName[] = ["ReaderConsistency", ...(options.verify?.guarantees ?? [])];
  checkSafety(abs, required, safety);
  return { abs, safety };
}

/** @internal Opens for reading, mapping errors. */
export function openForRead(abs: string): number {
  try {
    return ops.openSync(abs, constants.O_RDONLY);
  } catch (err) {
    throw fromSystemError(err, { syscall: "open", path: abs });
  }
}

function sizeOf(fd: number, abs: string, maxBytes: number | undefined): number {
  let st: ReturnType<typeof ops.fstatSync>;
  try {
    st = ops.fstatSync(fd);
  } catch (err) {
    throw fromSystemError(err, { syscall: "fstat", path: abs });
  }
  if (st.isDirectory()) {
    throw new SafeAtomicError(ErrorCode.IS_A_DIRECTORY, `${abs} is a directory`, {
      path: abs,
      errno: "EISDIR",
    });
  }
  if (maxBytes !== undefined && st.size > maxBytes) {
    throw new SafeAtomicError(
      ErrorCode.TOO_LARGE,
      `${abs} is ${st.size} bytes, more than maxBytes=${maxBytes}`,
      { path: abs },
    );
  }
  return st.size;
}

function concat(parts: Uint8Array[], total: number): Buffer {
  if (parts.length === 1 && parts[0]!.length === total)
    return Buffer.from(parts[0]!.buffer, parts[0]!.byteOffset, total);
  return Buffer.concat(parts, total);
}

/** Reads the whole descriptor from offset 0 (files may grow or shrink: reads to EOF). */
async function readAll(
  fd: number,
  abs: string,
  size: number,
  maxBytes: number | undefined,
  v: ReadVerification | null,
): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let pos = 0;
  for (;;) {
    const want = Math.max(Math.min(DEFAULT_CHUNK_SIZE, size - pos), 64 * 1024);
    const buf = Buffer.allocUnsafe(want);
    let n: number;
    try {
      n =
        want <= INLINE_WRITE_LIMIT
          ? ops.readSync(fd, buf, 0, want, pos)
          : await ops.read(fd, buf, 0, want, pos);
    } catch (err) {
      throw fromSystemError(err, { syscall: "read", path: abs });
    }
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    v?.update(chunk);
    parts.push(chunk);
    total += n;
    pos += n;
    if (maxBytes !== undefined && total > maxBytes) {
      throw new SafeAtomicError(ErrorCode.TOO_LARGE, `${abs} grew past maxBytes=${maxBytes}`, {
        path: abs,
      });
    }
  }
  return concat(parts, total);
}

function readAllSync(
  fd: number,
  abs: string,
  size: number,
  maxBytes: number | undefined,
  v: ReadVerification | null,
): Buffer {
  const parts: Uint8Array[] = [];
  let total = 0;
  let pos = 0;
  for (;;) {
    const want = Math.max(Math.min(DEFAULT_CHUNK_SIZE, size - pos), 64 * 1024);
    const buf = Buffer.allocUnsafe(want);
    let n: number;
    try {
      n = ops.readSync(fd, buf, 0, want, pos);
    } catch (err) {
      throw fromSystemError(err, { syscall: "read", path: abs });
    }
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    v?.update(chunk);
    parts.push(chunk);
    total += n;
    pos += n;
    if (maxBytes !== undefined && total > maxBytes) {
      throw new SafeAtomicError(ErrorCode.TOO_LARGE, `${abs} grew past maxBytes=${maxBytes}`, {
        path: abs,
      });
    }
  }
  return concat(parts, total);
}

/**
 * Reads a whole file as bytes. The content is one version: files written by
 * safeatomic are replaced by rename, never changed in place, so an open
 * descriptor keeps serving the version it opened. With `verify`, the bytes
 * returned are exactly the bytes checked.
 *
 * @throws {SafeAtomicError} `NOT_FOUND`, `PERMISSION_DENIED`, `IS_A_DIRECTORY`,
 *   `TOO_LARGE`, `UNSUPPORTED_ENVIRONMENT`; the verifier's errors
 *   (`CHECKSUM_MISMATCH`, `CHECKSUM_MISSING`).
 * @since 0.1.0
 */
export async function readAtomicBytes(
  path: string,
  options: ReadAtomicOptions = {},
): Promise<Buffer> {
  const { abs } = planRead(path, options);
  const fd = openForRead(abs);
  try {
    const size = sizeOf(fd, abs, options.maxBytes);
    const v = options.verify ? await options.verify.begin({ path: abs, fd }) : null;
    const bytes = await readAll(fd, abs, size, options.maxBytes, v);
    if (v) await v.finish();
    return bytes;
  } finally {
    ops.closeSync(fd);
  }
}

/**
 * Reads a whole file as text (`encoding`, default utf8). See {@link readAtomicBytes}.
 * @since 0.1.0
 */
export async function readAtomic(path: string, options: ReadAtomicOptions = {}): Promise<string> {
  const encoding = normalizeEncoding(options.encoding, currentConfig().encoding);
  return (await readAtomicBytes(path, options)).toString(encoding);
}

/**
 * Synchronous {@link readAtomicBytes}.
 * @since 0.1.0
 */
export function readAtomicBytesSync(path: string, options: ReadAtomicOptions = {}): Buffer {
  const { abs } = planRead(path, options);
  const fd = openForRead(abs);
  try {
    const size = sizeOf(fd, abs, options.maxBytes);
    const v = options.verify ? options.verify.beginSync({ path: abs, fd }) : null;
    const bytes = readAllSync(fd, abs, size, options.maxBytes, v);
    v?.finishSync();
    return bytes;
  } finally {
    ops.closeSync(fd);
  }
}

/**
 * Synchronous {@link readAtomic}.
 * @since 0.1.0
 */
export function readAtomicSync(path: string, options: ReadAtomicOptions = {}): string {
  const encoding = normalizeEncoding(options.encoding, currentConfig().encoding);
  return readAtomicBytesSync(path, options).toString(encoding);
}
