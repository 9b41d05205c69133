import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRoot, tmpfsUnavailableReason, useTempDirs } from "@safeatomic/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { CrossDeviceAtomicityError, ErrorCode, moveAtomic, moveAtomicSync } from "../src/index.js";
import { setFsOps } from "../src/internal/fs-ops.js";

const { tempDir, mountTmpfs } = useTempDirs();
const DIST = new URL("../dist/index.js", import.meta.url).pathname;
let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

describe("moveAtomic", () => {
  it("moves within a directory and across directories, async and sync", async () => {
    const d = tempDir();
    mkdirSync(join(d, "sub"));
    writeFileSync(join(d, "a"), "A");
    await moveAtomic(join(d, "a"), join(d, "sub", "b"));
    expect(existsSync(join(d, "a"))).toBe(false);
    expect(readFileSync(join(d, "sub", "b"), "utf8")).toBe("A");
    moveAtomicSync(join(d, "sub", "b"), join(d, "c"));
    expect(readFileSync(join(d, "c"), "utf8")).toBe("A");
  });

  it("without force never clobbers; with force replaces", async () => {
    const d = tempDir();
    writeFileSync(join(d, "src"), "new");
    writeFileSync(join(d, "dst"), "old");
    await expect(moveAtomic(join(d, "src"), join(d, "dst"))).rejects.toMatchObject({
      code: ErrorCode.ALREADY_EXISTS,
    });
    expect(() => moveAtomicSync(join(d, "src"), join(d, "dst"))).toThrow(/already exists/);
    expect(readFileSync(join(d, "dst"), "utf8")).toBe("old");
    expect(readFileSync(join(d, "src"), "utf8")).toBe("new");
    await moveAtomic(join(d, "src"), join(d, "dst"), { force: true });
    expect(readFileSync(join(d, "dst"), "utf8")).toBe("new");
    expect(existsSync(join(d, "src"))).toBe(false);
  });

  it("missing source is NOT_FOUND", async () => {
    const d = tempDir();
    await expect(moveAtomic(join(d, "nope"), join(d, "x"))).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
  });

  it("two racing movers in two processes onto one target: exactly one wins, nothing is lost", async () => {
    const d = tempDir();
    const script = `
      const { moveAtomic } = await import(${JSON.stringify(DIST)});
      const [src, dst] = process.argv.slice(1);
      try { await moveAtomic(src, dst); console.log("won"); }
      catch (e) { console.log(e.code); }
    `;
    const run = (src: string, dst: string) =>
      new Promise<string>((resolve, reject) => {
        const c = spawn(process.execPath, ["--input-type=module", "-e", script, src, dst]);
        let out = "";
        c.stdout.on("data", (b) => (out += b));
        c.on("error", reject);
        c.on("exit", () => resolve(out.trim()));
      });
    for (let round = 0; round < 10; round++) {
      const dst = join(d, `target-${round}`);
      writeFileSync(join(d, `a-${round}`), `A${round}`);
      writeFileSync(join(d, `b-${round}`), `B${round}`);
      const results = await Promise.all([
        run(join(d, `a-${round}`), dst),
        run(join(d, `b-${round}`), dst),
      ]);
      expect(results.sort()).toEqual(["ALREADY_EXISTS", "won"]);
      const winner = readFileSync(dst, "utf8");
      const loser = winner.startsWith("A") ? `b-${round}` : `a-${round}`;
      // the loser's file is still where it was: nothing was clobbered
      expect(existsSync(join(d, loser))).toBe(true);
      expect(existsSync(join(d, winner.startsWith("A") ? `a-${round}` : `b-${round}`))).toBe(false);
    }
  });

  it("EXDEV at rename time becomes CrossDeviceAtomicityError with the cause, under every policy", async () => {
    const d = tempDir();
    writeFileSync(join(d, "s"), "x");
    const exdev = Object.assign(new Error("EXDEV: cross-device link not permitted"), {
      code: "EXDEV",
    });
    restore = setFsOps({
      renameSync: () => {
        throw exdev;
      },
      linkSync: () => {
        throw exdev;
      },
    });
    for (const safety of ["strict", "warn", "best_effort"] as const) {
      for (const force of [true, false]) {
        const err = await moveAtomic(join(d, "s"), join(d, "t"), { force, safety }).catch(
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(CrossDeviceAtomicityError);
        expect((err as Error).cause).toBe(exdev);
      }
    }
    expect(readFileSync(join(d, "s"), "utf8")).toBe("x");
  });

  const noTmpfs = tmpfsUnavailableReason();
  it.skipIf(noTmpfs !== null || !isRoot)(
    `a real cross-device move (tmpfs → disk) is refused${noTmpfs ? ` (skipped: ${noTmpfs})` : ""}`,
    async () => {
      const mem = mountTmpfs(1024);
      const disk = tempDir();
      writeFileSync(join(mem, "f"), "on tmpfs");
      for (const safety of ["strict", "warn", "best_effort"] as const) {
        await expect(
          moveAtomic(join(mem, "f"), join(disk, "f"), { safety, force: true }),
        ).rejects.toBeInstanceOf(CrossDeviceAtomicityError);
      }
      expect(readFileSync(join(mem, "f"), "utf8")).toBe("on tmpfs");
      expect(existsSync(join(disk, "f"))).toBe(false);
    },
  );
});
