import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { tempFilesIn, useTempDirs } from "@safeatomic/test-utils";
import { describe, expect, it } from "vitest";
import {
  AtomicWriter,
  createAtomicWriteStream,
  ErrorCode,
  type WriteGuard,
  writeAtomic,
} from "../src/index.js";

const { tempDir } = useTempDirs();

function countingGuard(): WriteGuard & { held: number; acquired: number } {
  const g = {
    name: "count",
    held: 0,
    acquired: 0,
    acquire: async () => {
      g.held++;
      g.acquired++;
      return { release: () => void g.held-- };
    },
    acquireSync: () => {
      g.held++;
      g.acquired++;
      return { release: () => void g.held-- };
    },
  };
  return g;
}

describe("AtomicWriter", () => {
  it("streams writes into a temp file and publishes on commit", async () => {
    const d = tempDir();
    const p = join(d, "out.csv");
    writeFileSync(p, "old");
    const w = await AtomicWriter.open(p);
    expect(w.tempPath.startsWith(join(d, ".safeatomic-tmp-"))).toBe(true);
    for (let i = 0; i < 100; i++) await w.write(`row ${i}\n`);
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(w.bytesWritten).toBeGreaterThan(600);
    await w.commit();
    expect(w.state).toBe("committed");
    expect(readFileSync(p, "utf8").split("\n")).toHaveLength(101);
    expect(tempFilesIn(d)).toEqual([]);
    await w.abort(); // no-op after commit
    expect(existsSync(p)).toBe(true);
  });

  it("abort is idempotent, removes the temp, keeps the old file; use after abort is CLOSED", async () => {
    const d = tempDir();
    const p = join(d, "f");
    writeFileSync(p, "old");
    const w = await AtomicWriter.open(p);
    await w.write("partial");
    await w.abort();
    await w.abort();
    expect(w.state).toBe("aborted");
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(tempFilesIn(d)).toEqual([]);
    await expect(w.write("x")).rejects.toMatchObject({ code: ErrorCode.CLOSED });
    await expect(w.commit()).rejects.toMatchObject({ code: ErrorCode.CLOSED });
  });

  it("await using aborts on a throw and never leaks the guard", async () => {
    const d = tempDir();
    const p = join(d, "g");
    const guard = countingGuard();
    await expect(
      (async () => {
        await using w = await AtomicWriter.open(p, { guard });
        await w.write("half");
        expect(guard.held).toBe(1);
        throw new Error("boom");
      })(),
    ).rejects.toThrow("boom");
    expect(guard.held).toBe(0);
    expect(existsSync(p)).toBe(false);
    expect(tempFilesIn(d)).toEqual([]);
  });

  it("a failing commit releases the guard and the queue slot", async () => {
    const d = tempDir();
    const p = join(d, "gq");
    const guard = countingGuard();
    const w = await AtomicWriter.open(p, { guard, exclusive: true });
    await w.write("x");
    writeFileSync(p, "someone else");
    await expect(w.commit()).rejects.toMatchObject({ code: ErrorCode.ALREADY_EXISTS });
    expect(guard.held).toBe(0);
    expect(w.state).toBe("aborted");
    await writeAtomic(p, "next writer gets the slot", { guard });
    expect(readFileSync(p, "utf8")).toBe("next writer gets the slot");
    expect(tempFilesIn(d)).toEqual([]);
  });

  it("holds the path's in-process slot: a writeAtomic to the same path waits for commit", async () => {
    const d = tempDir();
    const p = join(d, "slot");
    const w = await AtomicWriter.open(p);
    await w.write("from writer");
    let done = false;
    const later = writeAtomic(p, "from writeAtomic").then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    await w.commit();
    await later;
    expect(readFileSync(p, "utf8")).toBe("from writeAtomic");
  });

  it("sync twin: openSync / writeSync / commitSync and using", () => {
    const d = tempDir();
    const p = join(d, "s");
    const w = AtomicWriter.openSync(p);
    w.writeSync("a");
    w.writeSync(Buffer.from("b"));
    w.commitSync();
    expect(readFileSync(p, "utf8")).toBe("ab");
    const guard = countingGuard();
    expect(() => {
      using w2 = AtomicWriter.openSync(p, { guard });
      w2.writeSync("zzz");
      throw new Error("sync boom");
    }).toThrow("sync boom");
    expect(guard.held).toBe(0);
    expect(readFileSync(p, "utf8")).toBe("ab");
    expect(tempFilesIn(d)).toEqual([]);
  });
});

describe("createAtomicWriteStream", () => {
  it("works with pipeline() and publishes at the end", async () => {
    const d = tempDir();
    const p = join(d, "piped");
    await pipeline(Readable.from(["a", "b", "c"]), createAtomicWriteStream(p));
    expect(readFileSync(p, "utf8")).toBe("abc");
  });

  it("aborts (and does not hang) when the source errors", async () => {
    const d = tempDir();
    const p = join(d, "piped-fail");
    writeFileSync(p, "old");
    const source = Readable.from(
      (async function* () {
        yield "partial ";
        await new Promise((r) => setTimeout(r, 5));
        throw new Error("source failed");
      })(),
    );
    await expect(pipeline(source, createAtomicWriteStream(p))).rejects.toThrow("source failed");
    // the destroy → abort runs asynchronously; give it a tick
    await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(tempFilesIn(d)).toEqual([]);
  });
});
