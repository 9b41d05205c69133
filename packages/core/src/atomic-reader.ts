import { DEFAULT_CHUNK_SIZE } from "./defaults.js";
import { ErrorCode, fromSystemError, SafeAtomicError } from "./errors.js";
import { ops } from "./internal/fs-ops.js";
import { openForRead, planRead, type ReadAtomicOptions } from "./read-atomic.js";

/** Options of {@link AtomicReader}. @since 0.1.0 */
export type AtomicReaderOptions = Omit<ReadAtomicOptions, "encoding">;

const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for("nodejs.asyncDispose") as typeof Symbol.asyncDispose);
const syncDispose: typeof Symbol.dispose =
  Symbol.dispose ?? (Symbol.for("nodejs.dispose") as typeof Symbol.dispose);

/**
 * Reads one version of a file through one descriptor. A concurrent atomic
 * replace does not affect it: the descriptor keeps the inode it opened
 * (ReaderConsistency). With `verify`, the whole content is checked through
 * that same descriptor when the reader opens, before any byte is returned.
 *
 * ```ts
 * await using r = await AtomicReader.open("state.json");
 * const head = await r.read(16);
 * ```
 * @since 0.1.0
 */
export class AtomicReader {
  private fd: number | null;
  private position = 0;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /**
   * Opens `path` (and verifies it when `verify` is given).
   * @throws {SafeAtomicError} `NOT_FOUND`, `PERMISSION_DENIED`, `UNSUPPORTED_ENVIRONMENT`, the verifier's errors.
   */
  static async open(path: string, options: AtomicReaderOptions = {}): Promise<AtomicReader> {
    const { abs } = planRead(path, options);
    const fd = openForRead(abs);
    try {
      if (options.verify) {
        const v = await options.verify.begin({ path: abs, fd });
        const buf = Buffer.allocUnsafe(DEFAULT_CHUNK_SIZE);
        let pos = 0;
        for (;;) {
          const n = await ops.read(fd, buf, 0, buf.length, pos);
          if (n === 0) break;
          v.update(buf.subarray(0, n));
          pos += n;
        }
        await v.finish();
      }
    } catch (err) {
      ops.closeSync(fd);
      throw fromSystemError(err, { path: abs });
    }
    return new AtomicReader(abs, fd);
  }

  /** Synchronous {@link AtomicReader.open}. */
  static openSync(path: string, options: AtomicReaderOptions = {}): AtomicReader {
    const { abs } = planRead(path, options);
    const fd = openForRead(abs);
    try {
      if (options.verify) {
        const v = options.verify.beginSync({ path: abs, fd });
        const buf = Buffer.allocUnsafe(DEFAULT_CHUNK_SIZE);
        let pos = 0;
        for (;;) {
          const n = ops.readSync(fd, buf, 0, buf.length, pos);
          if (n === 0) break;
          v.update(buf.subarray(0, n));
          pos += n;
        }
        v.finishSync();
      }
    } catch (err) {
      ops.closeSync(fd);
      throw fromSystemError(err, { path: abs });
    }
    return new AtomicReader(abs, fd);
  }

  private requireFd(): number {
    if (this.fd === null)
      throw new SafeAtomicError(ErrorCode.CLOSED, `AtomicReader for ${this.path} is closed`, {
        path: this.path,
      });
    return this.fd;
  }

  /** Reads up to `size` bytes (default: to the end). An empty buffer means end of file. */
  async read(size = Number.POSITIVE_INFINITY): Promise<Buffer> {
    const fd = this.requireFd();
    const parts: Buffer[] = [];
    let left = size;
    while (left > 0) {
      const want = Math.min(left, DEFAULT_CHUNK_SIZE);
      const buf = Buffer.allocUnsafe(want);
      const n = await ops.read(fd, buf, 0, want, this.position);
      if (n === 0) break;
      parts.push(buf.subarray(0, n));
      this.position += n;
      left -= n;
    }
    return Buffer.concat(parts);
  }

  /** Synchronous {@link AtomicReader.read}. */
  readSync(size = Number.POSITIVE_INFINITY): Buffer {
    const fd = this.requireFd();
    const parts: Buffer[] = [];
    let left = size;
    while (left > 0) {
      const want = Math.min(left, DEFAULT_CHUNK_SIZE);
      const buf = Buffer.allocUnsafe(want);
      const n = ops.readSync(fd, buf, 0, want, this.position);
      if (n === 0) break;
      parts.push(buf.subarray(0, n));
      this.position += n;
      left -= n;
    }
    return Buffer.concat(parts);
  }

  /** The remaining content as text. */
  async text(encoding: BufferEncoding = "utf8"): Promise<string> {
    return (await this.read()).toString(encoding);
  }

  /** Iterates lines (without their `\n`) of the remaining content. */
  async *lines(encoding: BufferEncoding = "utf8"): AsyncGenerator<string> {
    let carry = "";
    const decoder = new TextDecoder(encoding === "utf8" ? "utf-8" : encoding);
    for (;;) {
      const chunk = await this.read(DEFAULT_CHUNK_SIZE);
      if (chunk.length === 0) break;
      carry += decoder.decode(chunk, { stream: true });
      let i = carry.indexOf("\n");
      while (i >= 0) {
        yield carry.slice(0, i);
        carry = carry.slice(i + 1);
        i = carry.indexOf("\n");
      }
    }
    carry += decoder.decode();
    if (carry) yield carry;
  }

  /** Closes the descriptor. Idempotent. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    ops.closeSync(fd);
  }

  async [asyncDispose](): Promise<void> {
    this.close();
  }

  [syncDispose](): void {
    this.close();
  }
}
