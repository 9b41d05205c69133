import { readFileSync, statfsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** The filesystem classes of the guarantee matrix. @since 0.1.0 */
export type FilesystemClass =
  | "local_posix_persistent"
  | "local_posix_memory"
  | "network"
  | "windows"
  | "object_store"
  | "unknown";

/** A capability answer: `"yes"`, `"no"` or `"unknown"` (never probed by writing). @since 0.1.0 */
export type Capability = "yes" | "no" | "unknown";

/**
 * Where a path lives: platform, filesystem and what it is known to support.
 * Built without writing anything (from `statfs` and /proc/self/mountinfo).
 * @since 0.1.0
 */
export interface Environment {
  readonly platform: string;
  /** Filesystem type as the kernel names it (`ext4`, `tmpfs`, `fuse.sshfs`), or `null`. */
  readonly filesystem: string | null;
  readonly filesystemClass: FilesystemClass;
  readonly supportsFsyncFile: Capability;
  readonly supportsFsyncDir: Capability;
  readonly supportsAtomicReplace: Capability;
  readonly symlinkPolicy: "follow" | "replace" | "refuse";
  /** Mount point of the filesystem, or `null` where unknown. */
  readonly mountPoint: string | null;
  /** Mount options (both per-mount and superblock options), e.g. `["rw","relatime","data=ordered"]`. */
  readonly mountOptions: readonly string[];
  /** The `statfs` type magic, or `null`. */
  readonly fsTypeMagic: number | null;
}

const CLASS_OF_TYPE: Readonly<Record<string, FilesystemClass>> = {
  ext2: "local_posix_persistent",
  ext3: "local_posix_persistent",
  ext4: "local_posix_persistent",
  xfs: "local_posix_persistent",
  btrfs: "local_posix_persistent",
  zfs: "local_posix_persistent",
  f2fs: "local_posix_persistent",
  jfs: "local_posix_persistent",
  reiserfs: "local_posix_persistent",
  apfs: "local_posix_persistent",
  hfs: "local_posix_persistent",
  hfsplus: "local_posix_persistent",
  ufs: "local_posix_persistent",
  overlay: "local_posix_persistent",
  overlayfs: "local_posix_persistent",
  tmpfs: "local_posix_memory",
  ramfs: "local_posix_memory",
  devtmpfs: "local_posix_memory",
  nfs: "network",
  nfs3: "network",
  nfs4: "network",
  smbfs: "network",
  smb3: "network",
  cifs: "network",
  "9p": "network",
  ceph: "network",
  afs: "network",
  sshfs: "network",
  "fuse.sshfs": "network",
  glusterfs: "network",
  "fuse.glusterfs": "network",
  ntfs: "windows",
  ntfs3: "windows",
  fuseblk: "unknown",
  refs: "windows",
  "fuse.s3fs": "object_store",
  s3fs: "object_store",
  "fuse.gcsfuse": "object_store",
  gcsfuse: "object_store",
  "fuse.rclone": "object_store",
  "fuse.goofys": "object_store",
  "fuse.mountpoint-s3": "object_store",
};

// statfs f_type magic numbers (linux/magic.h), used where mountinfo is unreadable.
const TYPE_OF_MAGIC: ReadonlyMap<number, string> = new Map([
  [0xef53, "ext4"],
  [0x58465342, "xfs"],
  [0x9123683e, "btrfs"],
  [0x2fc12fc1, "zfs"],
  [0xf2f52010, "f2fs"],
  [0x3153464a, "jfs"],
  [0x52654973, "reiserfs"],
  [0x794c7630, "overlay"],
  [0x01021994, "tmpfs"],
  [0x858458f6, "ramfs"],
  [0x6969, "nfs"],
  [0x517b, "smbfs"],
  [0xff534d42, "cifs"],
  [0xfe534d42, "smb3"],
  [0x01021997, "9p"],
  [0x00c36400, "ceph"],
  [0x65735546, "fuse"],
  [0x5346544e, "ntfs"],
]);

interface MountEntry {
  readonly devId: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly options: readonly string[];
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

function readMountInfo(): MountEntry[] {
  let text: string;
  try {
    text = readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return [];
  }
  const out: MountEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    const sep = line.indexOf(" - ");
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(" ");
    const right = line.slice(sep + 3).split(" ");
    const devId = left[2];
    const mountPoint = left[4];
    const mountOpts = left[5] ?? "";
    const fsType = right[0];
    const superOpts = right[2] ?? "";
    if (!devId || !mountPoint || !fsType) continue;
    out.push({
      devId,
      mountPoint: unescapeMount(mountPoint),
      fsType: fsType.toLowerCase(),
      options: [...new Set([...mountOpts.split(","), ...superOpts.split(",")].filter(Boolean))],
    });
  }
  return out;
}

function devId(dev: number): string {
  // Linux new_decode_dev: major = (dev >> 8) & 0xfff | (dev >> 32) & ~0xfff, minor = dev & 0xff | (dev >> 12) & ~0xff.
  const big = BigInt(dev);
  const major = Number(((big >> 8n) & 0xfffn) | ((big >> 32n) & ~0xfffn));
  const minor = Number((big & 0xffn) | ((big >> 12n) & ~0xffn));
  return `${major}:${minor}`;
}

/** The nearest existing ancestor of `path` (itself if it exists). */
function nearestExisting(path: string): string | null {
  let p = resolve(path);
  for (;;) {
    try {
      statSync(p);
      return p;
    } catch {
      const up = dirname(p);
      if (up === p) return null;
      p = up;
    }
  }
}

function platformName(): string {
  switch (process.platform) {
    case "linux":
    case "darwin":
    case "freebsd":
    case "openbsd":
    case "netbsd":
      return process.platform;
    case "win32":
    case "cygwin":
      return "windows";
    default:
      return "unknown";
  }
}

/** Classifies a kernel filesystem type name. @since 0.1.0 */
export function classifyFilesystem(fsType: string | null): FilesystemClass {
  if (!fsType) return "unknown";
  const t = fsType.toLowerCase();
  return CLASS_OF_TYPE[t] ?? "unknown";
}

const cache = new Map<string, Environment>();

/** Forgets every cached environment (tests, or after remounting). @since 0.1.0 */
export function clearEnvironmentCache(): void {
  cache.clear();
}

/**
 * Detects the environment of `path` (nearest existing ancestor), cached per
 * device and symlink policy. Writes nothing.
 * @since 0.1.0
 */
export function detectEnvironment(
  path: string,
  options: { readonly symlinks?: "follow" | "replace" | "refuse" } = {},
): Environment {
  const symlinkPolicy = options.symlinks ?? "follow";
  const platform = platformName();
  const probe = nearestExisting(path);
  const unknown: Environment = Object.freeze({
    platform,
    filesystem: null,
    filesystemClass: platform === "windows" ? "windows" : "unknown",
    supportsFsyncFile: "unknown",
    supportsFsyncDir: "unknown",
    supportsAtomicReplace: "unknown",
    symlinkPolicy,
    mountPoint: null,
    mountOptions: [],
    fsTypeMagic: null,
  });
  if (!probe) return unknown;
  let dev: number;
  try {
    dev = statSync(probe).dev;
  } catch {
    return unknown;
  }
  const key = `${dev}:${symlinkPolicy}`;
  const hit = cache.get(key);
  if (hit) return hit;

  let magic: number | null = null;
  try {
    magic = statfsSync(probe).type;
  } catch {
    magic = null;
  }
  let fsType: string | null = magic === null ? null : (TYPE_OF_MAGIC.get(magic) ?? null);
  let mountPoint: string | null = null;
  let mountOptions: readonly string[] = [];
  if (process.platform === "linux") {
    const id = devId(dev);
    const candidates = readMountInfo().filter((m) => m.devId === id);
    // Bind mounts share a device; the longest mount point that prefixes the path wins.
    const best =
      candidates
        .filter(
          (m) =>
            probe === m.mountPoint ||
            probe.startsWith(m.mountPoint.endsWith("/") ? m.mountPoint : `${m.mountPoint}/`),
        )
        .sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0] ?? candidates[0];
    if (best) {
      fsType = best.fsType;
      mountPoint = best.mountPoint;
      mountOptions = best.options;
    }
  }
  let filesystemClass = classifyFilesystem(fsType);
  if (platform === "windows") filesystemClass = "windows";
  const known =
    filesystemClass === "local_posix_persistent" || filesystemClass === "local_posix_memory";
  const cap: Capability = known ? "yes" : "unknown";
  const env: Environment = Object.freeze({
    platform,
    filesystem: fsType,
    filesystemClass,
    supportsFsyncFile: cap,
    supportsFsyncDir: cap,
    supportsAtomicReplace: cap,
    symlinkPolicy,
    mountPoint,
    mountOptions: Object.freeze([...mountOptions]),
    fsTypeMagic: magic,
  });
  cache.set(key, env);
  return env;
}
