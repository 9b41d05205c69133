import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isRoot, tmpfsUnavailableReason, useTempDirs } from "@safeatomic/test-utils";
import { describe, expect, it } from "vitest";
import {
  classifyFilesystem,
  ErrorCode,
  GUARANTEE_NAMES,
  inspectGuarantees,
  normalizeGuaranteeName,
  readAtomic,
  UnsupportedEnvironmentError,
  writeAtomic,
} from "../src/index.js";

const { tempDir, mountTmpfs } = useTempDirs();

function rootFsType(dir: string): string | undefined {
  // Independent reading: the mount whose point is the longest prefix of dir.
  let best: { mp: string; type: string } | undefined;
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const mp = left.split(" ")[4]!;
    if (
      (dir === mp || dir.startsWith(mp.endsWith("/") ? mp : `${mp}/`)) &&
      (!best || mp.length >= best.mp.length)
    ) {
      best = { mp, type: right.split(" ")[0]! };
    }
  }
  return best?.type;
}

describe("inspectGuarantees", () => {
  it("reports the real filesystem of a test directory with all eight guarantees in order", () => {
    const d = tempDir();
    const r = inspectGuarantees(d);
    expect(r.environment.filesystem).toBe(rootFsType(d));
    expect(Object.keys(r.guarantees)).toEqual([...GUARANTEE_NAMES]);
    if (r.environment.filesystemClass === "local_posix_persistent") {
      expect(r.degraded()).toEqual(["MetadataPreservation"]);
      expect(r.isGuaranteed("CrashDurability")).toBe(true);
      expect(r.isGuaranteed("crash_durability")).toBe(true);
    }
    expect(() => r.isGuaranteed("Nope")).toThrow(TypeError);
    expect(String(r)).toMatch(/^GuaranteeReport\(platform=linux, fs_class=/);
    // a path that does not exist yet is inspected through its nearest existing ancestor
    expect(inspectGuarantees(join(d, "a", "b", "c")).environment.filesystem).toBe(
      r.environment.filesystem,
    );
  });

  const noTmpfs = tmpfsUnavailableReason();
  it.skipIf(noTmpfs !== null)(
    `tmpfs is local_posix_memory, CrashDurability best_effort, and strict writes pass${noTmpfs ? ` (skipped: ${noTmpfs})` : ""}`,
    async () => {
      const mem = mountTmpfs(256);
      const r = inspectGuarantees(mem);
      expect(r.environment.filesystem).toBe("tmpfs");
      expect(r.environment.filesystemClass).toBe("local_posix_memory");
      expect(r.guarantees.CrashDurability).toBe("best_effort");
      expect(r.notes.CrashDurability).toMatch(/restart/);
      await writeAtomic(join(mem, "f"), "strict on tmpfs");
      expect(await readAtomic(join(mem, "f"))).toBe("strict on tmpfs");
    },
  );

  it("classifies filesystem types as the design's table says", () => {
    expect(classifyFilesystem("ext4")).toBe("local_posix_persistent");
    expect(classifyFilesystem("overlay")).toBe("local_posix_persistent");
    expect(classifyFilesystem("tmpfs")).toBe("local_posix_memory");
    expect(classifyFilesystem("nfs4")).toBe("network");
    expect(classifyFilesystem("fuse.sshfs")).toBe("network");
    expect(classifyFilesystem("cifs")).toBe("network");
    expect(classifyFilesystem("ntfs3")).toBe("windows");
    expect(classifyFilesystem("fuse.s3fs")).toBe("object_store");
    expect(classifyFilesystem("proc")).toBe("unknown");
    expect(classifyFilesystem(null)).toBe("unknown");
  });

  it("normalises guarantee names", () => {
    expect(normalizeGuaranteeName("atomic_visibility")).toBe("AtomicVisibility");
    expect(normalizeGuaranteeName("AtomicVisibility")).toBe("AtomicVisibility");
    expect(normalizeGuaranteeName("nope")).toBeUndefined();
  });
});

describe("safety gate on a real filesystem the matrix does not cover (procfs)", () => {
  it("strict throws UnsupportedEnvironmentError before any I/O", async () => {
    const r = inspectGuarantees("/proc/self");
    expect(r.environment.filesystem).toBe("proc");
    expect(r.environment.filesystemClass).toBe("unknown");
    const err = await writeAtomic("/proc/self/safeatomic-test", "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedEnvironmentError);
    expect((err as UnsupportedEnvironmentError).code).toBe(ErrorCode.UNSUPPORTED_ENVIRONMENT);
    expect((err as Error).message).toMatch(
      /AtomicVisibility=unsupported; CrashDurability=unsupported/,
    );
  });

  it("warn emits UnsupportedEnvironmentWarning and goes on to the I/O; best_effort goes on silently", async () => {
    const warnings: Error[] = [];
    const onWarn = (w: Error) => warnings.push(w);
    process.on("warning", onWarn);
    try {
      const e1 = await writeAtomic("/proc/self/safeatomic-test", "x", { safety: "warn" }).catch(
        (e: unknown) => e,
      );
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => w.name)).toContain("UnsupportedEnvironmentWarning");
      expect((e1 as { code: string }).code).not.toBe(ErrorCode.UNSUPPORTED_ENVIRONMENT);
      const n = warnings.length;
      const e2 = await writeAtomic("/proc/self/safeatomic-test", "x", {
        safety: "best_effort",
      }).catch((e: unknown) => e);
      await new Promise((r) => setImmediate(r));
      expect(warnings.length).toBe(n);
      expect((e2 as { code: string }).code).not.toBe(ErrorCode.UNSUPPORTED_ENVIRONMENT);
    } finally {
      process.off("warning", onWarn);
    }
  });

  it.skipIf(!isRoot)(
    "reads on procfs need ReaderConsistency and are refused under strict",
    async () => {
      await expect(readAtomic("/proc/self/status")).rejects.toBeInstanceOf(
        UnsupportedEnvironmentError,
      );
      expect(await readAtomic("/proc/self/status", { safety: "best_effort" })).toMatch(/^Name:/);
    },
  );
});
