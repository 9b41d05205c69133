import { spawnSync } from "node:child_process";
import { existsSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempFilesIn, useTempDirs } from "@safeatomic/test-utils";
import { describe, expect, it } from "vitest";
import { AtomicWriter, ErrorCode, isTempBasename, sweepTempFiles } from "../src/index.js";
import { tempBasename, tempOwnerPid } from "../src/internal/temp-name.js";

const { tempDir } = useTempDirs();

function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "console.log(process.pid)"]);
  return Number(r.stdout.toString().trim());
}

describe("temp names", () => {
  it("carry the writer pid, recognised only with a valid check", () => {
    const n = tempBasename(4242);
    expect(n).toMatch(/^\.safeatomic-tmp-[0-9a-f]{16}\.tmp$/);
    expect(isTempBasename(n)).toBe(true);
    expect(tempOwnerPid(n)).toBe(4242);
    expect(tempOwnerPid(".safeatomic-tmp-0123456789abcdef.tmp")).toBeNull();
    expect(isTempBasename(".safeatomic-tmp-xyz.tmp")).toBe(false);
  });
});

describe("sweepTempFiles", () => {
  it("removes a dead writer's temp, keeps a live writer's, and ages out foreign names", async () => {
    const d = tempDir();
    const dead = tempBasename(deadPid());
    writeFileSync(join(d, dead), "left by a killed writer");
    const livePeer = tempBasename(1); // pid 1 is always alive
    writeFileSync(join(d, livePeer), "a live writer");
    const foreignOld = ".safeatomic-tmp-00000000deadbeef.tmp";
    const foreignNew = ".safeatomic-tmp-ffffffff00000000.tmp";
    writeFileSync(join(d, foreignOld), "python, old");
    writeFileSync(join(d, foreignNew), "python, fresh");
    utimesSync(join(d, foreignOld), 1000, 1000);
    writeFileSync(join(d, "unrelated.tmp"), "not ours");
    const w = await AtomicWriter.open(join(d, "target"));
    await w.write("in progress");

    const dry = sweepTempFiles(d, { dryRun: true });
    expect(dry.removed.map((p) => p.slice(d.length + 1)).sort()).toEqual([dead, foreignOld].sort());
    expect(existsSync(join(d, dead))).toBe(true);

    const res = sweepTempFiles(d);
    expect(res.removed.map((p) => p.slice(d.length + 1)).sort()).toEqual([dead, foreignOld].sort());
    expect(tempFilesIn(d).sort()).toEqual(
      [livePeer, foreignNew, w.tempPath.slice(d.length + 1)].sort(),
    );
    expect(res.kept.find((k) => k.path === w.tempPath)?.reason).toMatch(/this process/);
    await w.commit();
    expect(existsSync(join(d, "unrelated.tmp"))).toBe(true);
  });

  it("a missing directory is NOT_FOUND", () => {
    const d = tempDir();
    expect(() => sweepTempFiles(join(d, "nope"))).toThrow(
      expect.objectContaining({ code: ErrorCode.NOT_FOUND }),
    );
  });
});
