import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  patternBytes,
  tempFilesIn,
  tmpfsUnavailableReason,
  useTempDirs,
} from "@safeatomic/test-utils";
import { describe, expect, it } from "vitest";
import {
  AtomicWriter,
  ErrorCode,
  isSafeAtomicError,
  writeAtomic,
  writeAtomicSync,
} from "../src/index.js";

const { mountTmpfs } = useTempDirs();
const reason = tmpfsUnavailableReason();

// The npm anchors' known failure (TESTING.md layer 3): a 200 KiB write on a
// nearly full disk publishes a truncated file and reports success.
describe.skipIf(reason !== null)(
  `real ENOSPC on a 256 KiB tmpfs${reason ? ` (skipped: ${reason})` : ""}`,
  () => {
    const FILL = 100 * 1024;
    const BIG = 200 * 1024;

    function fullDisk(): { dir: string; target: string; old: Buffer } {
      const dir = mountTmpfs(256);
      const target = join(dir, "config.bin");
      const old = Buffer.from(patternBytes(FILL, 3));
      writeFileSync(target, old);
      return { dir, target, old };
    }

    function expectNoSpace(err: unknown): void {
      expect(isSafeAtomicError(err), String(err)).toBe(true);
      expect([ErrorCode.NO_SPACE, ErrorCode.SHORT_WRITE]).toContain((err as { code: string }).code);
    }

    it("writeAtomic rejects and keeps the old file", async () => {
      const { dir, target, old } = fullDisk();
      const err = await writeAtomic(target, patternBytes(BIG, 9)).catch((e: unknown) => e);
      expectNoSpace(err);
      expect(readFileSync(target).equals(old)).toBe(true);
      expect(tempFilesIn(dir)).toEqual([]);
    });

    it("writeAtomicSync rejects and keeps the old file", () => {
      const { dir, target, old } = fullDisk();
      let err: unknown;
      try {
        writeAtomicSync(target, patternBytes(BIG, 9));
      } catch (e) {
        err = e;
      }
      expectNoSpace(err);
      expect(readFileSync(target).equals(old)).toBe(true);
      expect(tempFilesIn(dir)).toEqual([]);
    });

    it("a streamed write and an AtomicWriter reject and keep the old file", async () => {
      const { dir, target, old } = fullDisk();
      const chunks = Array.from({ length: 50 }, (_, i) => Buffer.from(patternBytes(4096, i + 1)));
      expectNoSpace(await writeAtomic(target, Readable.from(chunks)).catch((e: unknown) => e));
      const w = await AtomicWriter.open(target);
      let err: unknown;
      try {
        for (const c of chunks) await w.write(c);
        await w.commit();
      } catch (e) {
        err = e;
      }
      expectNoSpace(err);
      expect(w.state).toBe("aborted");
      expect(readFileSync(target).equals(old)).toBe(true);
      expect(tempFilesIn(dir)).toEqual([]);
    });

    it("a write that fits still succeeds on the same full-ish disk", async () => {
      const { target } = fullDisk();
      await writeAtomic(target, "small");
      expect(readFileSync(target, "utf8")).toBe("small");
    });
  },
);
