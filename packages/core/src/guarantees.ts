import { detectEnvironment, type Environment, type FilesystemClass } from "./environment.js";

/**
 * The eight guarantee names, in canonical order.
 * @since 0.1.0
 */
export const GUARANTEE_NAMES = [
  "AtomicVisibility",
  "ReaderConsistency",
  "CrashDurability",
  "WriterExclusion",
  "StaleRecovery",
  "IntegrityDetection",
  "MetadataPreservation",
  "CrossDeviceSafety",
] as const;

/** One of {@link GUARANTEE_NAMES}. @since 0.1.0 */
export type GuaranteeName = (typeof GUARANTEE_NAMES)[number];

/** How far a guarantee holds in an environment. @since 0.1.0 */
export type GuaranteeLevel = "guaranteed" | "best_effort" | "nontarget" | "unsupported";

const G = "guaranteed";
const BE = "best_effort";
const NT = "nontarget";
const U = "unsupported";

type Row = Readonly<Record<GuaranteeName, GuaranteeLevel>>;

function row(levels: readonly GuaranteeLevel[]): Row {
  return Object.freeze(
    Object.fromEntries(GUARANTEE_NAMES.map((n, i) => [n, levels[i] ?? U])) as Record<
      GuaranteeName,
      GuaranteeLevel
    >,
  );
}

/**
 * The guarantee matrix, keyed on filesystem class (DESIGN.md section 6). The
 * one deliberate change from the Python library: CrashDurability on a memory
 * filesystem is `best_effort`, not `unsupported`.
 * @since 0.1.0
 */
export const GUARANTEE_MATRIX: Readonly<Record<FilesystemClass, Row>> = Object.freeze({
  local_posix_persistent: row([G, G, G, G, G, G, BE, G]),
  local_posix_memory: row([G, G, BE, G, G, G, BE, G]),
  network: row([NT, NT, NT, NT, NT, BE, NT, G]),
  windows: row([NT, NT, NT, NT, NT, BE, NT, G]),
  object_store: row([NT, NT, NT, NT, NT, BE, NT, G]),
  unknown: row([U, U, U, U, U, BE, U, G]),
});

const NOTES: Partial<Record<FilesystemClass, Partial<Record<GuaranteeName, string>>>> = {
  local_posix_memory: {
    CrashDurability:
      "memory filesystem: data survives any process crash but is lost at machine restart, by design",
  },
  network: {
    AtomicVisibility: "network filesystem: use a database or a distributed lock instead",
    WriterExclusion:
      "lock files are not reliable across hosts; use etcd, Consul or a database lock",
  },
  object_store: { AtomicVisibility: "object-store FUSE mounts do not rename atomically" },
};

function snakeToPascal(name: string): string {
  return name
    .split("_")
    .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : p))
    .join("");
}

/**
 * The canonical guarantee name for `name` given in PascalCase
 * (`CrashDurability`) or snake_case (`crash_durability`), or `undefined`.
 * @since 0.1.0
 */
export function normalizeGuaranteeName(name: string): GuaranteeName | undefined {
  const candidate = name.includes("_") || /^[a-z]/.test(name) ? snakeToPascal(name) : name;
  return (GUARANTEE_NAMES as readonly string[]).includes(candidate)
    ? (candidate as GuaranteeName)
    : undefined;
}

/**
 * What an environment guarantees, from {@link inspectGuarantees}.
 * @since 0.1.0
 */
export class GuaranteeReport {
  readonly environment: Environment;
  readonly guarantees: Readonly<Record<GuaranteeName, GuaranteeLevel>>;
  /** Why a guarantee has its level, where that is not obvious. */
  readonly notes: Readonly<Partial<Record<GuaranteeName, string>>>;

  constructor(environment: Environment) {
    this.environment = environment;
    this.guarantees = { ...GUARANTEE_MATRIX[environment.filesystemClass] };
    this.notes = { ...NOTES[environment.filesystemClass] };
  }

  /**
   * True only when `name` is `"guaranteed"`. Accepts PascalCase or snake_case;
   * throws a `TypeError` for an unknown name.
   */
  isGuaranteed(name: GuaranteeName | string): boolean {
    const n = normalizeGuaranteeName(name);
    if (!n) throw new TypeError(`unknown guarantee: ${name}`);
    return this.guarantees[n] === "guaranteed";
  }

  /** The names that are not `"guaranteed"`, in canonical order. */
  degraded(): GuaranteeName[] {
    return GUARANTEE_NAMES.filter((n) => this.guarantees[n] !== "guaranteed");
  }

  toString(): string {
    const d = this.degraded();
    const tail =
      d.length === 0
        ? "all guaranteed"
        : `degraded: ${d.map((n) => `${n}=${this.guarantees[n]}`).join(", ")}`;
    return `GuaranteeReport(platform=${this.environment.platform}, fs_class=${this.environment.filesystemClass}, ${tail})`;
  }

  toJSON(): { environment: Environment; guarantees: Record<GuaranteeName, GuaranteeLevel> } {
    return { environment: this.environment, guarantees: { ...this.guarantees } };
  }
}

/**
 * The guarantees that hold for `path` (a file or a directory, existing or not:
 * the nearest existing ancestor is inspected). Reads `statfs` and
 * /proc/self/mountinfo; writes nothing; cached per device.
 *
 * @param options.symlinks - the symlink policy to record in the report.
 * @since 0.1.0
 */
export function inspectGuarantees(
  path: string,
  options: { readonly symlinks?: "follow" | "replace" | "refuse" } = {},
): GuaranteeReport {
  return new GuaranteeReport(detectEnvironment(path, options));
}
