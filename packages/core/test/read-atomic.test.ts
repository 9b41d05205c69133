import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useTempDirs } from "@safeatomic/test-utils";
import { describe, expect, it } from "vitest";
import {
  AtomicReader,
  ChecksumMismatchError,
  ErrorCode,
  type ReadVerifier,
  readAtomic,
  readAtomicBytes,
  readAtomicBytesSync,
  readAtomicSync,
  writeAtomic,
} from "../src/index.js";

const { tempDir } = useTempDirs();

/** A verifier that expects an exact byte count and records what it saw. */
function lengthVerifier(expected: number, seen: number[]): ReadVerifier {
  const make = () => {
    let n = 0;
    const check = () => {
      seen.push(n);
      if (n !== expected) throw new ChecksumMismatchError("f", String(expected), String(n));
    };
    return {
      update: (c: Uint8Array) => {
        n += c.length;
      },
      finish: async () => check(),
      finishSync: check,
    };
  };
  return { name: "length", begin: async () => make(), beginSync: make };
}

describe("readAtomic", () => {
  it("reads text and bytes, async and sync", async () => {
    const d = tempDir();
    const p = join(d, "r");
    await writeAtomic(p, "héllo");
    expect(await readAtomic(p)).toBe("héllo");
    expect(readAtomicSync(p)).toBe("héllo");
    expect((await readAtomicBytes(p)).length).toBe(6);
    expect(readAtomicSync(p, { encoding: "latin1" })).toBe(Buffer.from("héllo").toString("latin1"));
    writeFileSync(join(d, "big"), Buffer.alloc(3 * 1024 * 1024 + 5, 7));
    expect((await readAtomicBytes(join(d, "big"))).length).toBe(3 * 1024 * 1024 + 5);
    expect(readAtomicBytesSync(join(d, "big")).length).toBe(3 * 1024 * 1024 + 5);
  });

  it("errors are coded: missing, directory, too large", async () => {
    const d = tempDir();
    await expect(readAtomic(join(d, "missing"))).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
    await expect(readAtomic(d)).rejects.toMatchObject({ code: ErrorCode.IS_A_DIRECTORY });
    writeFileSync(join(d, "big"), "0123456789");
    await expect(readAtomic(join(d, "big"), { maxBytes: 5 })).rejects.toMatchObject({
      code: ErrorCode.TOO_LARGE,
    });
    expect(() => readAtomicSync(join(d, "big"), { maxBytes: 5 })).toThrow(/maxBytes/);
  });

  it("a verifier sees exactly the bytes returned, and its failure is thrown", async () => {
    const d = tempDir();
    const p = join(d, "v");
    writeFileSync(p, "12345");
    const seen: number[] = [];
    expect(await readAtomic(p, { verify: lengthVerifier(5, seen) })).toBe("12345");
    expect(readAtomicSync(p, { verify: lengthVerifier(5, seen) })).toBe("12345");
    await expect(readAtomic(p, { verify: lengthVerifier(4, seen) })).rejects.toBeInstanceOf(
      ChecksumMismatchError,
    );
    expect(seen).toEqual([5, 5, 5]);
  });
});

describe("AtomicReader", () => {
  it("keeps serving the old version across a concurrent atomic replace", async () => {
    const d = tempDir();
    const p = join(d, "state");
    await writeAtomic(p, "A".repeat(100_000));
    await using r = await AtomicReader.open(p);
    const head = await r.read(10);
    await writeAtomic(p, "B".repeat(100_000));
    const rest = await r.read();
    expect(head.toString() + rest.toString()).toBe("A".repeat(100_000));
    expect(await readAtomic(p)).toBe("B".repeat(100_000));
  });

  it("reads lines, text and closes; use after close is CLOSED", async () => {
    const d = tempDir();
    const p = join(d, "lines");
    writeFileSync(p, "a\nb\nc");
    const r = await AtomicReader.open(p);
    const lines: string[] = [];
    for await (const l of r.lines()) lines.push(l);
    expect(lines).toEqual(["a", "b", "c"]);
    r.close();
    r.close();
    await expect(r.read()).rejects.toMatchObject({ code: ErrorCode.CLOSED });
    const s = AtomicReader.openSync(p);
    expect(s.readSync(2).toString()).toBe("a\n");
    renameSync(p, join(d, "moved"));
    expect(s.readSync().toString()).toBe("b\nc");
    s.close();
  });

  it("verifies through its own descriptor before returning any byte", async () => {
    const d = tempDir();
    const p = join(d, "ver");
    writeFileSync(p, "abc");
    const seen: number[] = [];
    await expect(AtomicReader.open(p, { verify: lengthVerifier(2, seen) })).rejects.toBeInstanceOf(
      ChecksumMismatchError,
    );
    const r = await AtomicReader.open(p, { verify: lengthVerifier(3, seen) });
    expect(await r.text()).toBe("abc");
    r.close();
    expect(seen).toEqual([3, 3]);
  });
});
