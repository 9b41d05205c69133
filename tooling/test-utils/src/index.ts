import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

/**
 * Temp-directory helpers for tests. Every directory made through `useTempDirs()`
 * is removed after each test, whatever the test did; tmpfs mounts made through
 * `mountTmpfs()` are unmounted the same way.
 */

const ROOT = process.env.SAFEATOMIC_TEST_TMP ?? join(tmpdir(), "safeatomic-tests");

interface Cleanup {
  dirs: string[];
  mounts: string[];
}

/**
 * Registers an `afterEach` that removes every directory (and unmounts every tmpfs)
 * created by the returned `tempDir()` / `mountTmpfs()` during the test.
 * Call once at the top of a test file.
 */
export function useTempDirs(): {
  tempDir: (prefix?: string) => string;
  mountTmpfs: (sizeKiB: number) => string;
} {
  const pending: Cleanup = { dirs: [], mounts: [] };
  afterEach(() => {
    for (const m of pending.mounts.splice(0)) {
      spawnSync("umount", ["-l", m], { stdio: "ignore" });
    }
    for (const d of pending.dirs.splice(0)) {
      rmSync(d, { recursive: true, force: true });
    }
  });
  const tempDir = (prefix = "t-"): string => {
    mkdirSync(ROOT, { recursive: true });
    const d = mkdtempSync(join(ROOT, prefix));
    pending.dirs.push(d);
    return d;
  };
  const mountTmpfs = (sizeKiB: number): string => {
    const d = tempDir("tmpfs-");
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k,mode=0777`, "tmpfs", d]);
    pending.mounts.unshift(d);
    return d;
  };
  return { tempDir, mountTmpfs };
}

/** True when the process runs as root (uid 0). */
export const isRoot: boolean = typeof process.getuid === "function" && process.getuid() === 0;

/** True when `cmd` is on PATH. */
export function hasCommand(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/**
 * Why a tmpfs cannot be mounted here, or `null` when it can. Tests that need a
 * real ENOSPC skip with this reason.
 */
export function tmpfsUnavailableReason(): string | null {
  if (process.platform !== "linux") return "tmpfs mounts need Linux";
  if (!isRoot) return "mounting a tmpfs needs root";
  if (!hasCommand("mount")) return "no mount command";
  const probe = join(ROOT, `probe-${process.pid}`);
  mkdirSync(probe, { recursive: true });
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], {
    stdio: "ignore",
  });
  if (r.status === 0) spawnSync("umount", [probe], { stdio: "ignore" });
  rmSync(probe, { recursive: true, force: true });
  return r.status === 0 ? null : "mount -t tmpfs failed (no CAP_SYS_ADMIN?)";
}

/** Names in `dir` that look like safeatomic temp files. */
export function tempFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith(".safeatomic-tmp-"));
}

/** A deterministic pseudo-random byte buffer (xorshift), for payloads. */
export function patternBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
