import { constants } from "node:fs";
import { join } from "node:path";
import { INLINE_WRITE_LIMIT, TEMP_FILE_MODE, TEMP_NAME_ATTEMPTS } from "../defaults.js";
import { ErrorCode, fromSystemError, SafeAtomicError } from "../errors.js";
import type { CommitObservation } from "../interfaces.js";
import { ops } from "./fs-ops.js";
import type { ResolvedTarget } from "./target.js";
import { tempBasename } from "./temp-name.js";

// libuv adds O_CLOEXEC to every open on Linux.
const CREATE_FLAGS = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY;

/** Temp files this process is writing now (sweeping never removes these). */
export const liveTemps = new Set<string>();

function umask(): number {
  // process.umask() without an argument is a documentation-only deprecation; it is
  // the only way to read the mask without changing it.
  return process.umask();
}

/**
 * Steps 4–8 of the commit protocol (DESIGN.md section 4) on one temp file:
 * create it O_EXCL 0600 beside the target, write all bytes, set metadata,
 * fsync, close, publish. Each step is a synchronous method, except the ones
 * that wait on the device, which have async twins. `cleanup()` is safe to call
 * on any failure and after success.
 */
export class TempFile {
  readonly target: ResolvedTarget;
  readonly path: string;
  private fd: number | null;
  private written = 0;
  private published = false;
  private readonly observations: readonly CommitObservation[];

  private constructor(
    target: ResolvedTarget,
    path: string,
    fd: number,
    observations: readonly CommitObservation[],
  ) {
    this.target = target;
    this.path = path;
    this.fd = fd;
    this.observations = observations;
    liveTemps.add(path);
  }

  /** Step 4: a fresh `.safeatomic-tmp-<16 hex>.tmp` in the target's directory; retries a name collision. */
  static create(target: ResolvedTarget, observations: readonly CommitObservation[] = []): TempFile {
    let lastErr: unknown;
    for (let i = 0; i < TEMP_NAME_ATTEMPTS; i++) {
      const p = join(target.dir, tempBasename());
      try {
        const fd = ops.openSync(p, CREATE_FLAGS, TEMP_FILE_MODE);
        return new TempFile(target, p, fd, observations);
      } catch (err) {
        lastErr = err;
        if ((err as { code?: string }).code !== "EEXIST") break;
      }
    }
    throw fromSystemError(lastErr, {
      syscall: "open",
      path: target.path,
      message: "cannot create temp file",
    });
  }

  get bytesWritten(): number {
    return this.written;
  }

  private requireFd(): number {
    if (this.fd === null) {
      throw new SafeAtomicError(ErrorCode.CLOSED, `temp file for ${this.target.path} is closed`, {
        path: this.target.path,
      });
    }
    return this.fd;
  }

  private observe(chunk: Uint8Array): void {
    for (const o of this.observations) o.update?.(chunk);
  }

  private zeroProgress(): SafeAtomicError {
    return new SafeAtomicError(
      ErrorCode.SHORT_WRITE,
      `write made no progress for ${this.target.path} (device full?)`,
      { path: this.target.path, syscall: "write", errno: "ENOSPC" },
    );
  }

  /** Step 5: writes every byte of `chunk`, looping on short writes. */
  writeSync(chunk: Uint8Array): void {
    const fd = this.requireFd();
    let off = 0;
    while (off < chunk.length) {
      let n: number;
      try {
        n = ops.writeSync(fd, chunk, off, chunk.length - off);
      } catch (err) {
        throw fromSystemError(err, { syscall: "write", path: this.target.path });
      }
      if (n <= 0) throw this.zeroProgress();
      off += n;
    }
    this.written += chunk.length;
    this.observe(chunk);
  }

  /** Step 5, off the calling thread for large chunks. */
  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length <= INLINE_WRITE_LIMIT) {
      this.writeSync(chunk);
      return;
    }
    const fd = this.requireFd();
    let off = 0;
    while (off < chunk.length) {
      let n: number;
      try {
        n = await ops.write(fd, chunk, off, chunk.length - off);
      } catch (err) {
        throw fromSystemError(err, { syscall: "write", path: this.target.path });
      }
      if (n <= 0) throw this.zeroProgress();
      off += n;
    }
    this.written += chunk.length;
    this.observe(chunk);
  }

  /** Checks the size on disk, then step 6: mode and owner of the file it replaces, or the new-file mode. */
  finishMetadata(mode: number | undefined): void {
    const fd = this.requireFd();
    const p = this.target.path;
    let st: ReturnType<typeof ops.fstatSync>;
    try {
      st = ops.fstatSync(fd);
    } catch (err) {
      throw fromSystemError(err, { syscall: "fstat", path: p });
    }
    if (st.size !== this.written) {
      throw new SafeAtomicError(
        ErrorCode.SHORT_WRITE,
        `temp file for ${p} has ${st.size} bytes, expected ${this.written}`,
        { path: p, syscall: "fstat" },
      );
    }
    const existing = this.target.existing;
    if (existing && (existing.uid !== st.uid || existing.gid !== st.gid)) {
      try {
        ops.fchownSync(fd, existing.uid, existing.gid);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== "EPERM" && code !== "EINVAL" && code !== "ENOSYS") {
          throw fromSystemError(err, { syscall: "fchown", path: p });
        }
      }
    }
    const want = mode ?? (existing ? existing.mode & 0o7777 : 0o666 & ~umask());
    if ((st.mode & 0o7777) !== want || (existing && existing.uid !== st.uid)) {
      try {
        ops.fchmodSync(fd, want);
      } catch (err) {
        throw fromSystemError(err, { syscall: "fchmod", path: p });
      }
    }
  }

  /** Step 7 on the calling thread: fsync, close. */
  fsyncCloseSync(): void {
    const fd = this.requireFd();
    try {
      ops.fsyncSync(fd);
    } catch (err) {
      throw fromSystemError(err, { syscall: "fsync", path: this.target.path });
    }
    this.closeFd();
  }

  /** Step 7: fsync (thread pool), close. */
  async fsyncClose(): Promise<void> {
    const fd = this.requireFd();
    try {
      await ops.fsync(fd);
    } catch (err) {
      throw fromSystemError(err, { syscall: "fsync", path: this.target.path });
    }
    this.closeFd();
  }

  private closeFd(): void {
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    try {
      ops.closeSync(fd);
    } catch (err) {
      throw fromSystemError(err, { syscall: "close", path: this.target.path });
    }
  }

  /**
   * Step 8, the visibility point: rename onto the target, or with `exclusive`
   * link (fails if the name exists) and unlink the temp name.
   */
  publish(exclusive: boolean): void {
    const p = this.target.path;
    if (exclusive) {
      try {
        ops.linkSync(this.path, p);
      } catch (err) {
        if ((err as { code?: string }).code === "EEXIST") {
          throw new SafeAtomicError(
            ErrorCode.ALREADY_EXISTS,
            `${p} already exists (exclusive write)`,
            {
              path: p,
              syscall: "link",
              errno: "EEXIST",
              cause: err,
            },
          );
        }
        throw fromSystemError(err, { syscall: "link", path: p });
      }
      this.published = true;
      liveTemps.delete(this.path);
      try {
        ops.unlinkSync(this.path);
      } catch {
        // The data is published; a leftover second name is removed by sweepTempFiles.
      }
      return;
    }
    try {
      ops.renameSync(this.path, p);
    } catch (err) {
      throw fromSystemError(err, { syscall: "rename", path: p });
    }
    this.published = true;
    liveTemps.delete(this.path);
  }

  get isPublished(): boolean {
    return this.published;
  }

  /** Closes and unlinks the temp file unless it was published. Never throws. */
  cleanup(): void {
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      try {
        ops.closeSync(fd);
      } catch {
        // already failing; the unlink below is what matters
      }
    }
    if (!this.published) {
      try {
        ops.unlinkSync(this.path);
      } catch {
        // ENOENT after a partial failure is fine
      }
      liveTemps.delete(this.path);
    }
  }
}
