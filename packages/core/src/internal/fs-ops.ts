import { randomBytes } from "node:crypto";
import * as fs from "node:fs";

/**
 * The one seam between the commit protocol and the operating system. Every
 * file syscall the protocol makes, the temp-name randomness and the clock go
 * through `ops`, so tests can wrap a single operation to inject a fault or
 * force a name collision without mocking `fs` as a whole.
 *
 * Most calls are synchronous on purpose: open, rename, link and close on a
 * local filesystem return in microseconds, while each thread-pool round trip
 * costs tens of microseconds. Only the calls that wait on the device (fsync,
 * large writes) go to the thread pool.
 */
export interface FsOps {
  openSync(path: string, flags: number, mode?: number): number;
  writeSync(fd: number, buf: Uint8Array, offset: number, length: number): number;
  write(fd: number, buf: Uint8Array, offset: number, length: number): Promise<number>;
  readSync(
    fd: number,
    buf: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): number;
  read(
    fd: number,
    buf: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<number>;
  fsyncSync(fd: number): void;
  fsync(fd: number): Promise<void>;
  fstatSync(fd: number): fs.Stats;
  fchmodSync(fd: number, mode: number): void;
  fchownSync(fd: number, uid: number, gid: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, newPath: string): void;
  unlinkSync(path: string): void;
  lstatSync(path: string): fs.Stats;
  statSync(path: string): fs.Stats;
  readlinkSync(path: string): string;
  realpathSync(path: string): string;
  randomToken(): number;
  now(): number;
}

function promisifyRw(
  fn: typeof fs.write | typeof fs.read,
): (
  fd: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number | null,
) => Promise<number> {
  return (fd, buf, offset, length, position) =>
    new Promise((resolve, reject) => {
      (fn as (...a: unknown[]) => void)(
        fd,
        buf,
        offset,
        length,
        position,
        (err: unknown, n: number) => (err ? reject(err) : resolve(n)),
      );
    });
}

const asyncWrite = promisifyRw(fs.write);
const asyncRead = promisifyRw(fs.read);

/** The real operating system. */
export const realFsOps: FsOps = {
  openSync: (p, flags, mode) => fs.openSync(p, flags, mode),
  writeSync: (fd, buf, offset, length) => fs.writeSync(fd, buf, offset, length),
  write: (fd, buf, offset, length) => asyncWrite(fd, buf, offset, length, null),
  readSync: (fd, buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position),
  read: asyncRead,
  fsyncSync: (fd) => fs.fsyncSync(fd),
  fsync: (fd) =>
    new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve()))),
  fstatSync: (fd) => fs.fstatSync(fd),
  fchmodSync: (fd, mode) => fs.fchmodSync(fd, mode),
  fchownSync: (fd, uid, gid) => fs.fchownSync(fd, uid, gid),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (a, b) => fs.renameSync(a, b),
  linkSync: (a, b) => fs.linkSync(a, b),
  unlinkSync: (p) => fs.unlinkSync(p),
  lstatSync: (p) => fs.lstatSync(p),
  statSync: (p) => fs.statSync(p),
  readlinkSync: (p) => fs.readlinkSync(p),
  realpathSync: (p) => fs.realpathSync.native(p),
  randomToken: () => randomBytes(2).readUInt16BE(0),
  now: () => Date.now(),
};

/** The operations in force. Tests replace single members with {@link setFsOps}. */
export let ops: FsOps = realFsOps;

/**
 * Replaces some operations (tests only). Returns a function that restores the
 * previous set.
 */
export function setFsOps(overrides: Partial<FsOps>): () => void {
  const previous = ops;
  ops = { ...previous, ...overrides };
  return () => {
    ops = previous;
  };
}
