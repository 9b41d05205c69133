import type { GuaranteeName } from "./guarantees.js";

/**
 * What a guard, observer or verifier is told about the commit it takes part in.
 * @since 0.1.0
 */
export interface CommitContext {
  /** The path the caller passed, made absolute. */
  readonly requestedPath: string;
  /** The file that is replaced (after the symlink policy). */
  readonly path: string;
  /** Its directory. */
  readonly dir: string;
  /** Its basename. */
  readonly basename: string;
  /** True for the `…Sync` API: hooks must not return promises there. */
  readonly sync: boolean;
  /** The safety policy of the call, for nested commits (e.g. a sidecar). */
  readonly safety: "strict" | "warn" | "best_effort";
}

/** A held guard; `release` is called exactly once. @since 0.1.0 */
export interface GuardHandle {
  release(): Promise<void> | void;
}

/**
 * Exclusion around a whole commit, across processes (the lock package
 * implements it). Acquired after the in-process queue slot and released after
 * the directory fsync and every observer are done.
 * @since 0.1.0
 */
export interface WriteGuard {
  readonly name: string;
  /** Guarantees a call needs when it uses this guard (e.g. `WriterExclusion`). */
  readonly guarantees?: readonly GuaranteeName[];
  acquire(ctx: CommitContext, signal?: AbortSignal): Promise<GuardHandle>;
  acquireSync(ctx: CommitContext): GuardHandle;
}

/**
 * One observer's view of one commit. Every hook is optional; all run inside
 * the commit, under the guard.
 * @since 0.1.0
 */
export interface CommitObservation {
  /** Each chunk of the new content, in order, exactly as written to the temp file. */
  update?(chunk: Uint8Array): void;
  /**
   * After the temp file is complete and fsynced, before the rename (the
   * visibility point). A sidecar that must be in place before the data is
   * written here. Throwing aborts the commit: the old file stays.
   */
  beforeRename?(ctx: CommitContext): Promise<void> | void;
  /** After the rename and the directory fsync. A throw here is reported as `OBSERVER_FAILED`; the data stays published. */
  afterCommit?(ctx: CommitContext): Promise<void> | void;
  /** The commit failed before the rename; undo anything `beforeRename` did that must not stay. */
  abort?(ctx: CommitContext, error: unknown): Promise<void> | void;
}

/**
 * Extension point called inside every commit (the checksum package's sidecar
 * observer implements it).
 * @since 0.1.0
 */
export interface CommitObserver {
  readonly name: string;
  /** Guarantees a call needs when it uses this observer (e.g. `IntegrityDetection`). */
  readonly guarantees?: readonly GuaranteeName[];
  /** Called once per commit, before the first byte is written. */
  begin(ctx: CommitContext): CommitObservation;
}

/** One verification of one read. @since 0.1.0 */
export interface ReadVerification {
  /** Each chunk read, in order: exactly the bytes returned to the caller. */
  update(chunk: Uint8Array): void;
  /** Throws (e.g. `ChecksumMismatchError`) when the bytes read are not right. */
  finish(): Promise<void> | void;
  finishSync(): void;
}

/**
 * Checks the bytes a read returns (the checksum package implements it). The
 * check hashes what is read through the open descriptor, never the path.
 * @since 0.1.0
 */
export interface ReadVerifier {
  readonly name: string;
  readonly guarantees?: readonly GuaranteeName[];
  /** Called after the file is opened (`fd` is the descriptor being read). */
  begin(ctx: { readonly path: string; readonly fd: number }): Promise<ReadVerification>;
  beginSync(ctx: { readonly path: string; readonly fd: number }): ReadVerification;
}

/**
 * A structured file format (each formats package exports one; the CLI
 * dispatches on `extensions`).
 * @since 0.1.0
 */
export interface Format<T = unknown, SO = unknown, PO = unknown> {
  readonly name: string;
  /** Lower-case extensions with the dot, e.g. `[".json"]`. */
  readonly extensions: readonly string[];
  serialize(value: T, options?: SO): string;
  parse(text: string, options?: PO): T;
}
