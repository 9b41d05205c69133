import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { isRoot, patternBytes, tempFilesIn, useTempDirs } from "@safeatomic/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import {
  type CommitObserver,
  ErrorCode,
  isSafeAtomicError,
  SafeAtomicError,
  type WriteGuard,
  writeAtomic,
  writeAtomicBytes,
  writeAtomicBytesSync,
  writeAtomicSync,
} from "../src/index.js";
import { setFsOps } from "../src/internal/fs-ops.js";

const { tempDir } = useTempDirs();
let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

async function expectCode(
  p: Promise<unknown> | (() => unknown),
  code: string,
): Promise<SafeAtomicError> {
  let err: unknown;
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(isSafeAtomicError(err), `expected a SafeAtomicError, got ${String(err)}`).toBe(true);
  expect((err as SafeAtomicError).code).toBe(code);
  return err as SafeAtomicError;
}

describe("round trips", () => {
  it.each([
    ["empty string", ""],
    ["one byte", "x"],
    ["unicode", "grüße, 世界 🌍\n"],
  ])("%s (async and sync)", async (_name, text) => {
    const d = tempDir();
    await writeAtomic(join(d, "a.txt"), text);
    expect(readFileSync(join(d, "a.txt"), "utf8")).toBe(text);
    writeAtomicSync(join(d, "b.txt"), text);
    expect(readFileSync(join(d, "b.txt"), "utf8")).toBe(text);
    expect(tempFilesIn(d)).toEqual([]);
  });

  it("bytes: empty, 1 byte, 64 MiB", async () => {
    const d = tempDir();
    const p = join(d, "bin");
    for (const size of [0, 1, 64 * 1024 * 1024]) {
      const data = patternBytes(size, size + 7);
      await writeAtomicBytes(p, data);
      expect(Buffer.compare(readFileSync(p), Buffer.from(data))).toBe(0);
      writeAtomicBytesSync(p, data);
      expect(statSync(p).size).toBe(size);
    }
  });

  it("streams an iterable, an async iterable and a Readable with the same result", async () => {
    const d = tempDir();
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}\n`);
    await writeAtomic(join(d, "it"), lines);
    await writeAtomic(
      join(d, "ait"),
      (async function* () {
        for (const l of lines) yield l;
      })(),
    );
    await writeAtomic(join(d, "rs"), Readable.from(lines));
    writeAtomicSync(
      join(d, "gen"),
      (function* () {
        for (const l of lines) yield Buffer.from(l);
      })(),
    );
    const want = lines.join("");
    for (const n of ["it", "ait", "rs", "gen"]) expect(readFileSync(join(d, n), "utf8")).toBe(want);
  });

  it("a surrogate pair split across two chunks is encoded, a lone one is refused", async () => {
    const d = tempDir();
    const emoji = "🌍";
    await writeAtomic(join(d, "ok"), [emoji[0]!, emoji[1]!]);
    expect(readFileSync(join(d, "ok"), "utf8")).toBe(emoji);
    await expectCode(writeAtomic(join(d, "bad"), ["a", "\ud800"]), ErrorCode.ENCODING_ERROR);
    expect(existsSync(join(d, "bad"))).toBe(false);
    expect(tempFilesIn(d)).toEqual([]);
  });

  it("a failing source stream publishes nothing and leaves no temp", async () => {
    const d = tempDir();
    const p = join(d, "f");
    writeFileSync(p, "old");
    const src = (async function* () {
      yield "partial";
      throw new Error("source broke");
    })();
    await expect(writeAtomic(p, src)).rejects.toThrow(/source broke/);
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(tempFilesIn(d)).toEqual([]);
  });
});

describe("encoding and bom", () => {
  it("utf16le, latin1 and a utf8 BOM", async () => {
    const d = tempDir();
    await writeAtomic(join(d, "u16"), "hé", { encoding: "utf16le" });
    expect(readFileSync(join(d, "u16"))).toEqual(Buffer.from("hé", "utf16le"));
    await writeAtomic(join(d, "l1"), "hé", { encoding: "latin1" });
    expect([...readFileSync(join(d, "l1"))]).toEqual([0x68, 0xe9]);
    await writeAtomic(join(d, "csv"), "a,b\n", { bom: true });
    expect([...readFileSync(join(d, "csv")).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    await writeAtomic(join(d, "csv16"), "a", { bom: true, encoding: "utf16le" });
    expect([...readFileSync(join(d, "csv16"))]).toEqual([0xff, 0xfe, 0x61, 0x00]);
  });

  it("refuses lossy encodings and bad arguments before any side effect", async () => {
    const d = tempDir();
    const p = join(d, "x");
    writeFileSync(p, "old");
    await expectCode(writeAtomic(p, "中", { encoding: "latin1" }), ErrorCode.ENCODING_ERROR);
    await expectCode(
      writeAtomic(p, "a", { encoding: "nope" as BufferEncoding }),
      ErrorCode.INVALID_ARGUMENT,
    );
    await expectCode(
      writeAtomic(p, "a", { bom: true, encoding: "latin1" }),
      ErrorCode.INVALID_ARGUMENT,
    );
    await expectCode(writeAtomic(p, 42 as unknown as string), ErrorCode.INVALID_ARGUMENT);
    await expectCode(writeAtomic(p, "a", { mode: 0o10000 }), ErrorCode.INVALID_ARGUMENT);
    await expectCode(
      writeAtomic(p, "a", { safety: "loose" as "strict" }),
      ErrorCode.INVALID_ARGUMENT,
    );
    await expectCode(writeAtomic("", "a"), ErrorCode.INVALID_ARGUMENT);
    await expectCode(() => writeAtomicSync(p, "\udc00"), ErrorCode.ENCODING_ERROR);
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(tempFilesIn(d)).toEqual([]);
  });
});

describe("temp file and metadata", () => {
  it("temp file is .safeatomic-tmp-<16 hex>.tmp, in the target's directory, mode 0600, O_EXCL", async () => {
    const d = tempDir();
    const p = join(d, "target");
    const seen: { path: string; flags: number; mode: number | undefined; statMode: number }[] = [];
    restore = setFsOps({
      fsync: async (fd) => {
        const { fstatSync, readlinkSync: rl } = await import("node:fs");
        seen.push({
          path: rl(`/proc/self/fd/${fd}`),
          flags: 0,
          mode: undefined,
          statMode: fstatSync(fd).mode & 0o777,
        });
        const { fsyncSync } = await import("node:fs");
        fsyncSync(fd);
      },
    });
    await writeAtomic(p, "data", { mode: 0o640 });
    restore();
    restore = null;
    const tmp = seen.find((s) => s.path.includes(".safeatomic-tmp-"));
    expect(tmp, JSON.stringify(seen)).toBeDefined();
    expect(tmp!.path).toMatch(new RegExp(`^${d}/\\.safeatomic-tmp-[0-9a-f]{16}\\.tmp$`));
    expect(statSync(p).mode & 0o777).toBe(0o640);
  });

  it("temp file is created 0600 with O_CREAT|O_EXCL|O_WRONLY", async () => {
    const d = tempDir();
    const calls: { path: string; flags: number; mode: number | undefined }[] = [];
    const { openSync, constants } = await import("node:fs");
    restore = setFsOps({
      openSync: (path, flags, mode) => {
        calls.push({ path, flags, mode });
        return openSync(path, flags, mode);
      },
    });
    await writeAtomic(join(d, "t"), "x");
    const create = calls.find((c) => c.path.includes(".safeatomic-tmp-"))!;
    expect(create.mode).toBe(0o600);
    expect(create.flags & constants.O_EXCL).toBe(constants.O_EXCL);
    expect(create.flags & constants.O_CREAT).toBe(constants.O_CREAT);
    expect(create.flags & constants.O_WRONLY).toBe(constants.O_WRONLY);
  });

  it("a name collision is retried", async () => {
    const d = tempDir();
    const { tempBasename } = await import("../src/internal/temp-name.js");
    restore = setFsOps({ randomToken: () => 0x1111 });
    const squatter = tempBasename();
    writeFileSync(join(d, squatter), "squatter");
    const tokens = [0x1111, 0x1111, 0x2222];
    restore();
    restore = setFsOps({ randomToken: () => tokens.shift() ?? 0x3333 });
    await writeAtomic(join(d, "b"), "2");
    expect(readFileSync(join(d, "b"), "utf8")).toBe("2");
    expect(tokens).toEqual([]);
    expect(tempFilesIn(d)).toEqual([squatter]);
    expect(readFileSync(join(d, squatter), "utf8")).toBe("squatter");
  });

  it("new files get 0o666 & ~umask; replaced files keep their mode; explicit mode wins", async () => {
    const d = tempDir();
    const old = process.umask(0o027);
    try {
      await writeAtomic(join(d, "new"), "x");
      expect(statSync(join(d, "new")).mode & 0o777).toBe(0o640);
    } finally {
      process.umask(old);
    }
    writeFileSync(join(d, "keep"), "x");
    chmodSync(join(d, "keep"), 0o604);
    await writeAtomic(join(d, "keep"), "y");
    expect(statSync(join(d, "keep")).mode & 0o777).toBe(0o604);
    await writeAtomic(join(d, "keep"), "z", { mode: 0o600 });
    expect(statSync(join(d, "keep")).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!isRoot)("owner of a replaced file is kept (root)", async () => {
    const d = tempDir();
    const p = join(d, "owned");
    writeFileSync(p, "x");
    chownSync(p, 65534, 65534);
    await writeAtomic(p, "y");
    const st = statSync(p);
    expect([st.uid, st.gid]).toEqual([65534, 65534]);
    writeAtomicSync(p, "z");
    expect(statSync(p).uid).toBe(65534);
  });

  it("the new content gets a new mtime (not copied from the old file)", async () => {
    const d = tempDir();
    const p = join(d, "m");
    writeFileSync(p, "x");
    const { utimesSync } = await import("node:fs");
    utimesSync(p, 1000, 1000);
    await writeAtomic(p, "y");
    expect(statSync(p).mtimeMs).toBeGreaterThan(1_000_000);
  });
});

describe("failures leave the old file and no temp", () => {
  const failing = (
    name: "fsync" | "renameSync" | "fchmodSync" | "writeSync" | "linkSync",
    errno: string,
  ) => {
    const err = Object.assign(new Error(`${errno}: injected`), { code: errno });
    if (name === "fsync")
      return setFsOps({
        fsync: () => Promise.reject(err),
        fsyncSync: () => {
          throw err;
        },
      });
    return setFsOps({
      [name]: () => {
        throw err;
      },
    });
  };

  it.each([
    ["fsync", "EIO", ErrorCode.IO_ERROR],
    ["renameSync", "EACCES", ErrorCode.PERMISSION_DENIED],
    ["fchmodSync", "EPERM", ErrorCode.PERMISSION_DENIED],
    ["writeSync", "ENOSPC", ErrorCode.NO_SPACE],
    ["writeSync", "EDQUOT", ErrorCode.QUOTA_EXCEEDED],
  ] as const)("%s failing with %s → %s", async (op, errno, code) => {
    const d = tempDir();
    const p = join(d, "f");
    writeFileSync(p, "old");
    chmodSync(p, 0o644);
    restore = failing(op, errno);
    const e = await expectCode(writeAtomic(p, "new content", { mode: 0o640 }), code);
    expect(e.errno).toBe(errno);
    expect(e.cause).toBeInstanceOf(Error);
    await expectCode(() => writeAtomicSync(p, "new content", { mode: 0o640 }), code);
    restore();
    restore = null;
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(tempFilesIn(d)).toEqual([]);
  });

  it("Node's 'Unknown system error -122' is EDQUOT", async () => {
    const d = tempDir();
    const p = join(d, "q");
    const err = Object.assign(
      new Error("Unknown system error -122: Unknown system error -122, write"),
      {
        code: "Unknown system error -122",
        errno: -122,
        syscall: "write",
      },
    );
    restore = setFsOps({
      writeSync: () => {
        throw err;
      },
    });
    const e = await expectCode(writeAtomic(p, "x"), ErrorCode.QUOTA_EXCEEDED);
    expect(e.errno).toBe("EDQUOT");
    expect(existsSync(p)).toBe(false);
  });

  it("a write that makes no progress is SHORT_WRITE, never success", async () => {
    const d = tempDir();
    const p = join(d, "s");
    writeFileSync(p, "old");
    restore = setFsOps({ writeSync: () => 0 });
    await expectCode(writeAtomic(p, "new"), ErrorCode.SHORT_WRITE);
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(tempFilesIn(d)).toEqual([]);
  });

  it("short writes that do progress are looped until complete", async () => {
    const d = tempDir();
    const p = join(d, "loop");
    const { writeSync } = await import("node:fs");
    let calls = 0;
    restore = setFsOps({
      writeSync: (fd, buf, off, len) => {
        calls++;
        return writeSync(fd, buf, off, Math.min(len, 7));
      },
    });
    await writeAtomic(p, "0123456789abcdefghij");
    expect(readFileSync(p, "utf8")).toBe("0123456789abcdefghij");
    expect(calls).toBe(3);
  });

  it("a size mismatch after writing is SHORT_WRITE", async () => {
    const d = tempDir();
    const p = join(d, "sz");
    const { fstatSync } = await import("node:fs");
    restore = setFsOps({ fstatSync: (fd) => Object.assign(fstatSync(fd), { size: 1 }) });
    await expectCode(writeAtomic(p, "12345"), ErrorCode.SHORT_WRITE);
    expect(existsSync(p)).toBe(false);
    expect(tempFilesIn(d)).toEqual([]);
  });

  it("missing directory → NOT_FOUND; target is a directory → IS_A_DIRECTORY", async () => {
    const d = tempDir();
    await expectCode(writeAtomic(join(d, "no", "such", "f"), "x"), ErrorCode.NOT_FOUND);
    await expectCode(writeAtomic(d, "x"), ErrorCode.IS_A_DIRECTORY);
  });

  it("directory fsync failure after the rename: strict throws, warn warns, best_effort is silent; content stays new", async () => {
    const d = tempDir();
    const p = join(d, "df");
    const { fsyncSync, fstatSync } = await import("node:fs");
    const err = Object.assign(new Error("EIO: dir"), { code: "EIO" });
    const dirFail = (fd: number) => {
      if (fstatSync(fd).isDirectory()) throw err;
      fsyncSync(fd);
    };
    restore = setFsOps({ fsync: async (fd) => dirFail(fd), fsyncSync: dirFail });
    await expectCode(writeAtomic(p, "v1"), ErrorCode.DIRECTORY_FSYNC_FAILED);
    expect(readFileSync(p, "utf8")).toBe("v1");
    const warnings: Error[] = [];
    const onWarn = (w: Error) => warnings.push(w);
    process.on("warning", onWarn);
    try {
      await writeAtomic(p, "v2", { safety: "warn" });
      await new Promise((r) => setImmediate(r));
      expect(warnings.some((w) => w.name === "UnsupportedEnvironmentWarning")).toBe(true);
      const before = warnings.length;
      await writeAtomic(p, "v3", { safety: "best_effort" });
      await new Promise((r) => setImmediate(r));
      expect(warnings.length).toBe(before);
    } finally {
      process.off("warning", onWarn);
    }
    expect(readFileSync(p, "utf8")).toBe("v3");
  });
});

describe("exclusive", () => {
  it("publishes only if the target is absent, by link", async () => {
    const d = tempDir();
    const p = join(d, "x");
    await writeAtomic(p, "first", { exclusive: true });
    await expectCode(writeAtomic(p, "second", { exclusive: true }), ErrorCode.ALREADY_EXISTS);
    await expectCode(
      () => writeAtomicSync(p, "third", { exclusive: true }),
      ErrorCode.ALREADY_EXISTS,
    );
    expect(readFileSync(p, "utf8")).toBe("first");
    expect(tempFilesIn(d)).toEqual([]);
    expect(statSync(p).nlink).toBe(1);
  });

  it("of many racing exclusive writers exactly one wins", async () => {
    const d = tempDir();
    const p = join(d, "race");
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => writeAtomic(p, `w${i}`, { exclusive: true })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(readFileSync(p, "utf8")).toBe("w0");
  });
});

describe("in-process queue and coalescing", () => {
  it("1,000 concurrent writes to one path all resolve and the last one wins", async () => {
    const d = tempDir();
    const p = join(d, "q");
    const n = 1000;
    await Promise.all(Array.from({ length: n }, (_, i) => writeAtomic(p, `v${i}`)));
    expect(readFileSync(p, "utf8")).toBe(`v${n - 1}`);
    expect(tempFilesIn(d)).toEqual([]);
  });

  it("coalescing writes far fewer times than it is called, and no caller resolves before a newer version is durable", async () => {
    const d = tempDir();
    const p = join(d, "c");
    const { fsyncSync, fstatSync, readFileSync: rf } = await import("node:fs");
    let fileFsyncs = 0;
    let durable = -1;
    restore = setFsOps({
      fsync: async (fd) => {
        const isDir = fstatSync(fd).isDirectory();
        fsyncSync(fd);
        if (!isDir) fileFsyncs++;
        else durable = Number(rf(p, "utf8").slice(1));
      },
    });
    const n = 500;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        writeAtomic(p, `v${i}`, { coalesce: true }).then(() => {
          // the durability rule: data at least as new as this call's is durable now
          expect(durable).toBeGreaterThanOrEqual(i);
          order.push(i);
        }),
      ),
    );
    expect(order).toHaveLength(n);
    expect(readFileSync(p, "utf8")).toBe(`v${n - 1}`);
    expect(fileFsyncs).toBeLessThanOrEqual(3);
  });

  it("a failing coalesced commit rejects every merged caller", async () => {
    const d = tempDir();
    const p = join(d, "cf");
    writeFileSync(p, "old");
    const first = writeAtomic(p, "a", { coalesce: true });
    restore = setFsOps({
      renameSync: () => {
        throw Object.assign(new Error("EIO"), { code: "EIO" });
      },
    });
    const merged = [
      writeAtomic(p, "b", { coalesce: true }),
      writeAtomic(p, "c", { coalesce: true }),
    ];
    await expect(first).rejects.toThrow();
    for (const m of merged) await expect(m).rejects.toMatchObject({ code: ErrorCode.IO_ERROR });
  });
});

describe("symlink policies", () => {
  it("follow (default) writes the link's target and keeps the link", async () => {
    const d = tempDir();
    writeFileSync(join(d, "real"), "old");
    symlinkSync("real", join(d, "link"));
    await writeAtomic(join(d, "link"), "new");
    expect(lstatSync(join(d, "link")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, "link"))).toBe("real");
    expect(readFileSync(join(d, "real"), "utf8")).toBe("new");
  });

  it("follow through a chain and to a dangling target creates the target", async () => {
    const d = tempDir();
    symlinkSync("b", join(d, "a"));
    symlinkSync("c", join(d, "b"));
    await writeAtomic(join(d, "a"), "end");
    expect(readFileSync(join(d, "c"), "utf8")).toBe("end");
    expect(lstatSync(join(d, "a")).isSymbolicLink()).toBe(true);
  });

  it("replace swaps the link for a regular file; refuse throws SYMLINK_REFUSED", async () => {
    const d = tempDir();
    writeFileSync(join(d, "real"), "old");
    symlinkSync("real", join(d, "link"));
    await expectCode(
      writeAtomic(join(d, "link"), "x", { symlinks: "refuse" }),
      ErrorCode.SYMLINK_REFUSED,
    );
    expect(readFileSync(join(d, "real"), "utf8")).toBe("old");
    await writeAtomic(join(d, "link"), "new", { symlinks: "replace" });
    expect(lstatSync(join(d, "link")).isFile()).toBe(true);
    expect(readFileSync(join(d, "link"), "utf8")).toBe("new");
    expect(readFileSync(join(d, "real"), "utf8")).toBe("old");
  });

  it("a symlink loop is refused", async () => {
    const d = tempDir();
    symlinkSync("l2", join(d, "l1"));
    symlinkSync("l1", join(d, "l2"));
    await expectCode(writeAtomic(join(d, "l1"), "x"), ErrorCode.SYMLINK_REFUSED);
  });
});

describe("guards and observers", () => {
  it("the guard is held across the rename, the directory fsync and every observer", async () => {
    const d = tempDir();
    const p = join(d, "g");
    const events: string[] = [];
    const guard: WriteGuard = {
      name: "test",
      acquire: async () => {
        events.push("acquire");
        return { release: () => void events.push("release") };
      },
      acquireSync: () => {
        events.push("acquire");
        return { release: () => void events.push("release") };
      },
    };
    const observer: CommitObserver = {
      name: "obs",
      begin: () => {
        let bytes = 0;
        return {
          update: (c) => {
            bytes += c.length;
          },
          beforeRename: (ctx) =>
            void events.push(
              `before:${existsSync(ctx.path) ? readFileSync(ctx.path, "utf8") : "-"}:${bytes}`,
            ),
          afterCommit: (ctx) => void events.push(`after:${readFileSync(ctx.path, "utf8")}`),
        };
      },
    };
    await writeAtomic(p, "hello", { guard, observers: [observer] });
    writeAtomicSync(p, "sync!", { guard, observers: [observer] });
    expect(events).toEqual([
      "acquire",
      "before:-:5",
      "after:hello",
      "release",
      "acquire",
      "before:hello:5",
      "after:sync!",
      "release",
    ]);
  });

  it("the guard is released when the commit fails, and an observer abort runs", async () => {
    const d = tempDir();
    const p = join(d, "gf");
    let released = 0;
    let aborted = 0;
    const guard: WriteGuard = {
      name: "test",
      acquire: async () => ({ release: () => void released++ }),
      acquireSync: () => ({ release: () => void released++ }),
    };
    const observer: CommitObserver = {
      name: "obs",
      begin: () => ({
        beforeRename: () => {
          throw new Error("observer says no");
        },
        abort: () => void aborted++,
      }),
    };
    await expect(writeAtomic(p, "x", { guard, observers: [observer] })).rejects.toThrow(
      /observer says no/,
    );
    expect(() => writeAtomicSync(p, "x", { guard, observers: [observer] })).toThrow(
      /observer says no/,
    );
    expect([released, aborted]).toEqual([2, 2]);
    expect(existsSync(p)).toBe(false);
    expect(tempFilesIn(d)).toEqual([]);
  });

  it("an observer failing after the rename is OBSERVER_FAILED and the data stays", async () => {
    const d = tempDir();
    const p = join(d, "of");
    const observer: CommitObserver = {
      name: "late",
      begin: () => ({
        afterCommit: () => {
          throw new Error("too late");
        },
      }),
    };
    await expectCode(
      writeAtomic(p, "published", { observers: [observer] }),
      ErrorCode.OBSERVER_FAILED,
    );
    expect(readFileSync(p, "utf8")).toBe("published");
  });
});

describe("abort signal", () => {
  it("an aborted signal rejects with ABORTED before the rename and keeps the old file", async () => {
    const d = tempDir();
    const p = join(d, "ab");
    writeFileSync(p, "old");
    const ac = new AbortController();
    ac.abort(new Error("stop"));
    await expectCode(writeAtomic(p, "new", { signal: ac.signal }), ErrorCode.ABORTED);
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(tempFilesIn(d)).toEqual([]);
  });
});

describe("SafeAtomicError", () => {
  it("is recognised across copies by its brand", () => {
    const e = new SafeAtomicError(ErrorCode.NO_SPACE, "x");
    const foreign = { [Symbol.for("safeatomic.error")]: true, code: "NO_SPACE" };
    expect(isSafeAtomicError(e)).toBe(true);
    expect(isSafeAtomicError(foreign)).toBe(true);
    expect(isSafeAtomicError(new Error("x"))).toBe(false);
  });
});
