import { Writable } from "node:stream";
import { currentConfig } from "./config.js";
import { ErrorCode, SafeAtomicError } from "./errors.js";
import type { GuardHandle } from "./interfaces.js";
import { bomFor, ChunkEncoder } from "./internal/data.js";
import { holdSlot } from "./internal/path-queue.js";
import { resolveTarget } from "./internal/target.js";
import {
  abortCommit,
  abortCommitSync,
  beginCommit,
  type CommitState,
  commitContext,
  finishCommit,
  finishCommitSync,
  type Plan,
  planWrite,
  type WriteAtomicOptions,
  type WriteAtomicSyncOptions,
} from "./write-atomic.js";

/** Options of {@link AtomicWriter}. @since 0.1.0 */
export type AtomicWriterOptions = Omit<WriteAtomicOptions, "coalesce">;

/** State of an {@link AtomicWriter}. @since 0.1.0 */
export type AtomicWriterState = "open" | "committed" | "aborted";

const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for("nodejs.asyncDispose") as typeof Symbol.asyncDispose);
const syncDispose: typeof Symbol.dispose =
  Symbol.dispose ?? (Symbol.for("nodejs.dispose") as typeof Symbol.dispose);

/**
 * A streaming atomic write: bytes go to a temp file beside the target,
 * `commit()` publishes them with the full protocol, `abort()` throws them
 * away. `abort()` is idempotent and a no-op after `commit()`, so
 *
 * ```ts
 * await using w = await AtomicWriter.open("out.csv");
 * for (const row of rows) await w.write(row);
 * await w.commit();
 * ```
 *
 * cannot leak a temp file or a guard: if anything throws before `commit()`,
 * disposal aborts. The writer holds the path's in-process queue slot and its
 * guard from `open` until `commit`/`abort`, whatever fails.
 *
 * Not safe for concurrent `write` calls: await each one.
 * @since 0.1.0
 */
export class AtomicWriter {
  private stateValue: AtomicWriterState = "open";
  private readonly encoder: ChunkEncoder;
  private finishing: Promise<void> | null = null;

  private constructor(
    plan: Plan,
    private readonly commitState: CommitState,
    private guard: GuardHandle | null,
    private slot: (() => void) | null,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.encoder = new ChunkEncoder(plan.encoding);
  }

  /**
   * Waits for the path's queue slot, takes the guard, creates the temp file.
   * @throws {SafeAtomicError} as {@link writeAtomic} before the rename.
   */
  static async open(path: string, options: AtomicWriterOptions = {}): Promise<AtomicWriter> {
    const plan = planWrite(path, options);
    const release = await holdSlot(plan.key);
    let guard: GuardHandle | null = null;
    try {
      const target = resolveTarget(plan.requested, plan.symlinks);
      if (plan.guard)
        guard = await plan.guard.acquire(commitContext(plan, target, false), options.signal);
      const state = beginCommit(plan, target, false);
      const w = new AtomicWriter(plan, state, guard, release, options.signal);
      if (plan.bom) state.tmp.writeSync(bomFor(plan.encoding));
      return w;
    } catch (err) {
      if (guard) await guard.release();
      release();
      throw err;
    }
  }

  /**
   * Synchronous {@link AtomicWriter.open}: takes the guard, creates the temp
   * file. Does not wait for async writers of the path in this process.
   */
  static openSync(path: string, options: WriteAtomicSyncOptions = {}): AtomicWriter {
    const plan = planWrite(path, options);
    const target = resolveTarget(plan.requested, plan.symlinks);
    const guard = plan.guard ? plan.guard.acquireSync(commitContext(plan, target, true)) : null;
    try {
      const state = beginCommit(plan, target, true);
      const w = new AtomicWriter(plan, state, guard, null, undefined);
      if (plan.bom) state.tmp.writeSync(bomFor(plan.encoding));
      return w;
    } catch (err) {
      guard?.release();
      throw err;
    }
  }

  /** The file this writer will replace. */
  get path(): string {
    return this.commitState.target.path;
  }

  /** The temp file being written. */
  get tempPath(): string {
    return this.commitState.tmp.path;
  }

  get state(): AtomicWriterState {
    return this.stateValue;
  }

  get bytesWritten(): number {
    return this.commitState.tmp.bytesWritten;
  }

  private requireOpen(): void {
    if (this.stateValue !== "open" || this.finishing) {
      throw new SafeAtomicError(
        ErrorCode.CLOSED,
        `AtomicWriter for ${this.path} is ${this.finishing ? "committing" : this.stateValue}`,
        {
          path: this.path,
        },
      );
    }
  }

  /** Appends `chunk` (strings are encoded with the writer's encoding). */
  async write(chunk: string | Uint8Array): Promise<void> {
    this.requireOpen();
    try {
      await this.commitState.tmp.write(this.encoder.push(chunk));
    } catch (err) {
      await this.abortWith(err);
      throw err;
    }
  }

  /** Synchronous {@link AtomicWriter.write}. */
  writeSync(chunk: string | Uint8Array): void {
    this.requireOpen();
    try {
      this.commitState.tmp.writeSync(this.encoder.push(chunk));
    } catch (err) {
      this.abortWithSync(err);
      throw err;
    }
  }

  /**
   * Publishes the content: size check, metadata, fsync, rename, directory
   * fsync, observers; then releases the guard and the queue slot. On failure
   * before the rename the temp file is removed and the old file stays.
   */
  async commit(): Promise<void> {
    this.requireOpen();
    this.finishing = (async () => {
      try {
        this.encoder.end();
      } catch (err) {
        throw await abortCommit(this.commitState, err);
      }
      await finishCommit(this.commitState, this.signal);
    })();
    try {
      await this.finishing;
      this.stateValue = "committed";
    } catch (err) {
      this.stateValue = this.commitState.tmp.isPublished ? "committed" : "aborted";
      throw err;
    } finally {
      await this.releaseAll();
    }
  }

  /** Synchronous {@link AtomicWriter.commit}. */
  commitSync(): void {
    this.requireOpen();
    try {
      try {
        this.encoder.end();
      } catch (err) {
        throw abortCommitSync(this.commitState, err);
      }
      finishCommitSync(this.commitState);
      this.stateValue = "committed";
    } catch (err) {
      this.stateValue = this.commitState.tmp.isPublished ? "committed" : "aborted";
      throw err;
    } finally {
      this.releaseAllSync();
    }
  }

  /** Throws the content away. Idempotent; a no-op after commit. */
  async abort(): Promise<void> {
    if (this.stateValue !== "open") return;
    if (this.finishing) {
      await this.finishing.catch(() => undefined);
      return;
    }
    await this.abortWith(
      new SafeAtomicError(ErrorCode.ABORTED, `write to ${this.path} aborted`, { path: this.path }),
    );
  }

  /** Synchronous {@link AtomicWriter.abort}. */
  abortSync(): void {
    if (this.stateValue !== "open" || this.finishing) return;
    this.abortWithSync(
      new SafeAtomicError(ErrorCode.ABORTED, `write to ${this.path} aborted`, { path: this.path }),
    );
  }

  private async abortWith(err: unknown): Promise<void> {
    if (this.stateValue !== "open") return;
    this.stateValue = "aborted";
    try {
      await abortCommit(this.commitState, err);
    } finally {
      await this.releaseAll();
    }
  }

  private abortWithSync(err: unknown): void {
    if (this.stateValue !== "open") return;
    this.stateValue = "aborted";
    try {
      abortCommitSync(this.commitState, err);
    } finally {
      this.releaseAllSync();
    }
  }

  private async releaseAll(): Promise<void> {
    const guard = this.guard;
    const slot = this.slot;
    this.guard = null;
    this.slot = null;
    try {
      if (guard) await guard.release();
    } finally {
      slot?.();
    }
  }

  private releaseAllSync(): void {
    const guard = this.guard;
    const slot = this.slot;
    this.guard = null;
    this.slot = null;
    try {
      guard?.release();
    } finally {
      slot?.();
    }
  }

  /** `await using`: aborts unless committed. */
  async [asyncDispose](): Promise<void> {
    await this.abort();
  }

  /** `using` (sync writers): aborts unless committed. */
  [syncDispose](): void {
    this.abortSync();
  }
}

/**
 * A Node `Writable` that writes atomically: the file is published when the
 * stream finishes (`end()`), and thrown away when it is destroyed with an
 * error — so `pipeline(source, createAtomicWriteStream(p))` never publishes a
 * partial file when the source fails, and never hangs.
 * @since 0.1.0
 */
export function createAtomicWriteStream(path: string, options: AtomicWriterOptions = {}): Writable {
  let writer: AtomicWriter | null = null;
  const encoding = options.encoding ?? currentConfig().encoding;
  return new Writable({
    decodeStrings: false,
    construct(callback) {
      AtomicWriter.open(path, options).then(
        (w) => {
          writer = w;
          callback();
        },
        (err: Error) => callback(err),
      );
    },
    write(chunk: string | Uint8Array, enc: BufferEncoding | "buffer", callback) {
      const data =
        typeof chunk === "string" && enc !== "buffer" && enc !== encoding
          ? Buffer.from(chunk, enc)
          : chunk;
      writer!.write(data).then(() => callback(), callback);
    },
    final(callback) {
      writer!.commit().then(() => callback(), callback);
    },
    destroy(err, callback) {
      if (writer?.state !== "open") {
        callback(err);
        return;
      }
      writer.abort().then(
        () => callback(err),
        (abortErr: Error) => callback(err ?? abortErr),
      );
    },
  });
}
