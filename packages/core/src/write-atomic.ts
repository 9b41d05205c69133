import { resolve } from "node:path";
import { currentConfig } from "./config.js";
import { DEFAULT_SAFETY, DEFAULT_SYMLINKS } from "./defaults.js";
import { ErrorCode, fromSystemError, SafeAtomicError } from "./errors.js";
import type { GuaranteeName } from "./guarantees.js";
import type {
  CommitContext,
  CommitObservation,
  CommitObserver,
  GuardHandle,
  WriteGuard,
} from "./interfaces.js";
import {
  assertWriteData,
  bomFor,
  ChunkEncoder,
  isAsyncIterable,
  isImmediate,
  normalizeEncoding,
  prepareImmediate,
  type WriteData,
  type WriteDataSync,
} from "./internal/data.js";
import { syncDirectory, syncDirectorySync } from "./internal/dir-sync.js";
import { enqueue } from "./internal/path-queue.js";
import {
  canonicalKey,
  type ResolvedTarget,
  resolveTarget,
  type SymlinkPolicy,
} from "./internal/target.js";
import { TempFile } from "./internal/temp-file.js";
import { checkSafety, type SafetyPolicy, validateSafety } from "./safety.js";
import { emitUnsupportedEnvironmentWarning } from "./warnings.js";

/**
 * Options of {@link writeAtomic} and {@link writeAtomicSync}.
 * @since 0.1.0
 */
export interface WriteAtomicOptions {
  /** Encoding of string data. Default: the scoped config, else `"utf8"`. */
  readonly encoding?: BufferEncoding;
  /** Prepend a byte-order mark (utf8 or utf16le). Default `false`. */
  readonly bom?: boolean;
  /**
   * Mode of the file. Default: the mode of the file it replaces, or
   * `0o666 & ~umask` for a new file. An explicit mode always wins.
   */
  readonly mode?: number;
  /** Publish only if the target does not exist (`link`, atomic); else `ALREADY_EXISTS`. Default `false`. */
  readonly exclusive?: boolean;
  /** `"follow"` (default): write to the link's target and keep the link; `"replace"`: replace the link with a file; `"refuse"`: throw `SYMLINK_REFUSED`. */
  readonly symlinks?: SymlinkPolicy;
  /** Safety policy (default `"strict"`). */
  readonly safety?: SafetyPolicy;
  /** Cross-process exclusion held across the whole commit (e.g. `cooperativeLock()` from @safeatomic/lock). Default none. */
  readonly guard?: WriteGuard;
  /** Observers run inside the commit (e.g. `checksumSidecar()` from @safeatomic/checksum). Default none. */
  readonly observers?: readonly CommitObserver[];
  /**
   * Latest wins: while a write to this path is committing, later coalescing
   * writes merge and only the newest is written; every merged caller resolves
   * once data at least as new as its own is durable. Default `false`.
   */
  readonly coalesce?: boolean;
  /** Aborts the write before the rename (`ABORTED`); after the rename it has no effect. */
  readonly signal?: AbortSignal;
}

/** Options of the sync API (no coalescing or signal). @since 0.1.0 */
export type WriteAtomicSyncOptions = Omit<WriteAtomicOptions, "coalesce" | "signal">;

export interface Plan {
  readonly requested: string;
  readonly key: string;
  readonly encoding: BufferEncoding;
  readonly bom: boolean;
  readonly mode: number | undefined;
  readonly exclusive: boolean;
  readonly symlinks: SymlinkPolicy;
  readonly safety: SafetyPolicy;
  readonly guard: WriteGuard | undefined;
  readonly observers: readonly CommitObserver[];
}

/** Guarantees a write with these parts needs (the safety gate's input). */
export function requiredForWrite(
  guard?: WriteGuard,
  observers: readonly CommitObserver[] = [],
): GuaranteeName[] {
  const req: GuaranteeName[] = ["AtomicVisibility", "CrashDurability"];
  if (guard) req.push(...(guard.guarantees ?? ["WriterExclusion"]));
  for (const o of observers) req.push(...(o.guarantees ?? []));
  return req;
}

/** Step 1 and 2: validate options and run the safety gate; no I/O but `statfs`. */
export function planWrite(path: string, options: WriteAtomicOptions): Plan {
  if (typeof path !== "string" || path.length === 0) {
    throw new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, "path must be a non-empty string");
  }
  if (path.includes("\0")) {
    throw new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, "path must not contain NUL bytes");
  }
  const mode = options.mode;
  if (mode !== undefined && (!Number.isInteger(mode) || mode < 0 || mode > 0o7777)) {
    throw new SafeAtomicError(
      ErrorCode.INVALID_ARGUMENT,
      `mode must be an integer in 0..0o7777 (got ${String(mode)})`,
    );
  }
  const symlinks = options.symlinks ?? DEFAULT_SYMLINKS;
  if (symlinks !== "follow" && symlinks !== "replace" && symlinks !== "refuse") {
    throw new SafeAtomicError(
      ErrorCode.INVALID_ARGUMENT,
      `symlinks must be follow, replace or refuse (got ${String(symlinks)})`,
    );
  }
  let safety: SafetyPolicy;
  try {
    safety = validateSafety(options.safety ?? DEFAULT_SAFETY);
  } catch (err) {
    throw new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, (err as Error).message);
  }
  const encoding = normalizeEncoding(options.encoding, currentConfig().encoding);
  const bom = options.bom ?? false;
  if (bom) bomFor(encoding);
  const observers = options.observers ?? [];
  const requested = resolve(path);
  checkSafety(
    resolve(requested, ".."),
    requiredForWrite(options.guard, observers),
    safety,
    symlinks,
  );
  return {
    requested,
    key: canonicalKey(requested),
    encoding,
    bom,
    mode,
    exclusive: options.exclusive ?? false,
    symlinks,
    safety,
    guard: options.guard,
    observers,
  };
}

/** The context handed to guards and observers. */
export function commitContext(plan: Plan, target: ResolvedTarget, sync: boolean): CommitContext {
  return {
    requestedPath: plan.requested,
    path: target.path,
    dir: target.dir,
    basename: target.basename,
    sync,
    safety: plan.safety,
  };
}

function checkAborted(signal: AbortSignal | undefined, path: string): void {
  if (signal?.aborted) {
    throw new SafeAtomicError(ErrorCode.ABORTED, `write to ${path} aborted`, {
      path,
      cause: signal.reason,
    });
  }
}

function dispatchDirFsyncFailure(err: unknown, plan: Plan, dir: string): void {
  const mapped = fromSystemError(err, {
    syscall: "fsync",
    path: dir,
    message:
      "directory fsync after rename failed; the new content is visible but CrashDurability cannot be confirmed",
  });
  if (plan.safety === "strict") {
    throw new SafeAtomicError(ErrorCode.DIRECTORY_FSYNC_FAILED, mapped.message, {
      path: dir,
      syscall: "fsync",
      errno: mapped.errno,
      cause: err,
    });
  }
  if (plan.safety === "warn") emitUnsupportedEnvironmentWarning(mapped.message, dir);
}

function observerFailure(err: unknown, path: string, name: string): SafeAtomicError {
  return new SafeAtomicError(
    ErrorCode.OBSERVER_FAILED,
    `${name} failed after ${path} was published (the new content is in place): ${(err as Error)?.message ?? String(err)}`,
    { path, cause: err },
  );
}

function noPromise(value: unknown, what: string): void {
  if (value && typeof (value as Promise<unknown>).then === "function") {
    throw new SafeAtomicError(
      ErrorCode.INVALID_ARGUMENT,
      `${what} returned a promise in a synchronous commit`,
    );
  }
}

/** One commit in progress: the temp file and the observers watching it. */
export interface CommitState {
  readonly plan: Plan;
  readonly target: ResolvedTarget;
  readonly ctx: CommitContext;
  readonly observations: readonly CommitObservation[];
  readonly tmp: TempFile;
}

/** Step 4: starts the observers and creates the temp file. */
export function beginCommit(plan: Plan, target: ResolvedTarget, sync: boolean): CommitState {
  const ctx = commitContext(plan, target, sync);
  const observations: CommitObservation[] = plan.observers.map((o) => o.begin(ctx));
  const tmp = TempFile.create(target, observations);
  return { plan, target, ctx, observations, tmp };
}

/** Removes the temp file and tells the observers; returns the error to throw. */
export async function abortCommit(state: CommitState, err: unknown): Promise<SafeAtomicError> {
  state.tmp.cleanup();
  for (const o of state.observations) {
    try {
      await o.abort?.(state.ctx, err);
    } catch {
      // the original failure is what the caller needs
    }
  }
  return fromSystemError(err, { path: state.target.path });
}

/** The synchronous twin of {@link abortCommit}. */
export function abortCommitSync(state: CommitState, err: unknown): SafeAtomicError {
  state.tmp.cleanup();
  for (const o of state.observations) {
    try {
      o.abort?.(state.ctx, err);
    } catch {
      // the original failure is what the caller needs
    }
  }
  return fromSystemError(err, { path: state.target.path });
}

/** Steps 5 (size check) to 10, once every byte is written. */
export async function finishCommit(state: CommitState, signal?: AbortSignal): Promise<void> {
  const { plan, target, ctx, observations, tmp } = state;
  try {
    checkAborted(signal, target.path);
    tmp.finishMetadata(plan.mode);
    await tmp.fsyncClose();
    for (const o of observations) await o.beforeRename?.(ctx);
    checkAborted(signal, target.path);
    tmp.publish(plan.exclusive);
  } catch (err) {
    throw await abortCommit(state, err);
  }
  try {
    await syncDirectory(target.dir);
  } catch (err) {
    dispatchDirFsyncFailure(err, plan, target.dir);
  }
  for (let i = 0; i < observations.length; i++) {
    try {
      await observations[i]!.afterCommit?.(ctx);
    } catch (err) {
      throw observerFailure(err, target.path, plan.observers[i]!.name);
    }
  }
}

/** The synchronous twin of {@link finishCommit}. */
export function finishCommitSync(state: CommitState): void {
  const { plan, target, ctx, observations, tmp } = state;
  try {
    tmp.finishMetadata(plan.mode);
    tmp.fsyncCloseSync();
    for (const o of observations) noPromise(o.beforeRename?.(ctx), "beforeRename");
    tmp.publish(plan.exclusive);
  } catch (err) {
    throw abortCommitSync(state, err);
  }
  try {
    syncDirectorySync(target.dir);
  } catch (err) {
    dispatchDirFsyncFailure(err, plan, target.dir);
  }
  for (let i = 0; i < observations.length; i++) {
    try {
      noPromise(observations[i]!.afterCommit?.(ctx), "afterCommit");
    } catch (err) {
      throw observerFailure(err, target.path, plan.observers[i]!.name);
    }
  }
}

async function commitAsync(
  plan: Plan,
  target: ResolvedTarget,
  fill: (tmp: TempFile) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  checkAborted(signal, target.path);
  const state = beginCommit(plan, target, false);
  try {
    await fill(state.tmp);
  } catch (err) {
    throw await abortCommit(state, err);
  }
  await finishCommit(state, signal);
}

function commitSync(plan: Plan, target: ResolvedTarget, fill: (tmp: TempFile) => void): void {
  const state = beginCommit(plan, target, true);
  try {
    fill(state.tmp);
  } catch (err) {
    throw abortCommitSync(state, err);
  }
  finishCommitSync(state);
}

/** Takes the guard around `fn` (async). */
export async function withGuard<T>(
  plan: Plan,
  target: ResolvedTarget,
  fn: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  if (!plan.guard) return fn();
  const handle: GuardHandle = await plan.guard.acquire(commitContext(plan, target, false), signal);
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    await handle.release();
    throw err;
  }
  await handle.release();
  return result;
}

export function withGuardSync<T>(plan: Plan, target: ResolvedTarget, fn: () => T): T {
  if (!plan.guard) return fn();
  const handle = plan.guard.acquireSync(commitContext(plan, target, true));
  try {
    return fn();
  } finally {
    noPromise(handle.release(), "guard release");
  }
}

async function fillFrom(
  tmp: TempFile,
  data: WriteData,
  plan: Plan,
  signal?: AbortSignal,
): Promise<void> {
  if (isImmediate(data)) {
    await tmp.write(data as Uint8Array);
    return;
  }
  const encoder = new ChunkEncoder(plan.encoding);
  if (plan.bom) await tmp.write(bomFor(plan.encoding));
  const source = data as AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
  if (isAsyncIterable(source)) {
    for await (const chunk of source) {
      checkAborted(signal, tmp.target.path);
      await tmp.write(encoder.push(chunk));
    }
  } else {
    for (const chunk of source) {
      checkAborted(signal, tmp.target.path);
      await tmp.write(encoder.push(chunk));
    }
  }
  encoder.end();
}

function fillFromSync(tmp: TempFile, data: WriteDataSync, plan: Plan): void {
  if (isImmediate(data)) {
    tmp.writeSync(data as Uint8Array);
    return;
  }
  const encoder = new ChunkEncoder(plan.encoding);
  if (plan.bom) tmp.writeSync(bomFor(plan.encoding));
  for (const chunk of data) tmp.writeSync(encoder.push(chunk));
  encoder.end();
}

/**
 * Writes `data` to `path` atomically and durably: a reader sees the old or
 * the new content, never a mix; once the promise resolves the new content
 * survives a crash of the process or the machine (on a persistent local
 * filesystem). Follows DESIGN.md section 4: O_EXCL 0600 temp beside the
 * target, write-all with a size check, metadata, fsync, rename, directory
 * fsync, observers; the temp file is removed on every failure and the old
 * file is left untouched.
 *
 * `data` may be a string (encoded with `encoding`), bytes, an (async)
 * iterable of either, or a Node `Readable`: streamed with bounded memory,
 * all or nothing.
 *
 * Concurrent calls for one path in one process queue in call order and never
 * fail because of each other; with `coalesce` they merge (latest wins).
 *
 * @throws {SafeAtomicError} `INVALID_ARGUMENT`, `ENCODING_ERROR` (before any
 *   side effect), `UNSUPPORTED_ENVIRONMENT` (before any I/O, `strict`),
 *   `NO_SPACE`, `QUOTA_EXCEEDED`, `SHORT_WRITE`, `FILE_TOO_LARGE`, `IO_ERROR`,
 *   `PERMISSION_DENIED`, `NOT_FOUND`, `ALREADY_EXISTS` (`exclusive`),
 *   `SYMLINK_REFUSED`, `IS_A_DIRECTORY`, `ABORTED`, `DIRECTORY_FSYNC_FAILED`
 *   (after the rename, `strict`), `OBSERVER_FAILED`; a guard's own errors.
 * @since 0.1.0
 */
export function writeAtomic(
  path: string,
  data: WriteData,
  options: WriteAtomicOptions = {},
): Promise<void> {
  let plan: Plan;
  let payload: WriteData;
  try {
    plan = planWrite(path, options);
    assertWriteData(data, false);
    payload = isImmediate(data) ? prepareImmediate(data, plan.encoding, plan.bom) : data;
  } catch (err) {
    return Promise.reject(err);
  }
  const signal = options.signal;
  const run = (p: WriteData): Promise<void> => {
    const target = resolveTarget(plan.requested, plan.symlinks);
    return withGuard(
      plan,
      target,
      () => commitAsync(plan, target, (tmp) => fillFrom(tmp, p, plan, signal), signal),
      signal,
    );
  };
  return enqueue(plan.key, payload, run, options.coalesce === true && isImmediate(data));
}

/**
 * Writes bytes atomically; {@link writeAtomic} for a `Uint8Array`.
 * @since 0.1.0
 */
export function writeAtomicBytes(
  path: string,
  data: Uint8Array,
  options: WriteAtomicOptions = {},
): Promise<void> {
  if (!(data instanceof Uint8Array)) {
    return Promise.reject(
      new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, "writeAtomicBytes data must be a Uint8Array"),
    );
  }
  return writeAtomic(path, data, options);
}

/**
 * The synchronous twin of {@link writeAtomic}, for start-up code and exit
 * handlers. Same protocol and errors. It does not wait for async writes of
 * the same path in this process (it cannot); each is still atomic.
 * @since 0.1.0
 */
export function writeAtomicSync(
  path: string,
  data: WriteDataSync,
  options: WriteAtomicSyncOptions = {},
): void {
  const plan = planWrite(path, options);
  assertWriteData(data, true);
  const payload = isImmediate(data) ? prepareImmediate(data, plan.encoding, plan.bom) : data;
  const target = resolveTarget(plan.requested, plan.symlinks);
  withGuardSync(plan, target, () =>
    commitSync(plan, target, (tmp) => fillFromSync(tmp, payload, plan)),
  );
}

/**
 * Synchronous {@link writeAtomicBytes}.
 * @since 0.1.0
 */
export function writeAtomicBytesSync(
  path: string,
  data: Uint8Array,
  options: WriteAtomicSyncOptions = {},
): void {
  if (!(data instanceof Uint8Array)) {
    throw new SafeAtomicError(
      ErrorCode.INVALID_ARGUMENT,
      "writeAtomicBytesSync data must be a Uint8Array",
    );
  }
  writeAtomicSync(path, data, options);
}
