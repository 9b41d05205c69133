import { UnsupportedEnvironmentError } from "./errors.js";
import { type GuaranteeName, inspectGuarantees } from "./guarantees.js";
import { emitUnsupportedEnvironmentWarning } from "./warnings.js";

/**
 * What happens when a guarantee a call needs is missing:
 * `strict` throws {@link UnsupportedEnvironmentError} before any I/O, `warn`
 * emits an `UnsupportedEnvironmentWarning` and goes on, `best_effort` goes on
 * silently.
 * @since 0.1.0
 */
export type SafetyPolicy = "strict" | "warn" | "best_effort";

const POLICIES: readonly string[] = ["strict", "warn", "best_effort"];

/** @internal */
export function validateSafety(safety: unknown): SafetyPolicy {
  if (typeof safety !== "string" || !POLICIES.includes(safety)) {
    throw new TypeError(`safety must be one of strict, warn, best_effort (got ${String(safety)})`);
  }
  return safety as SafetyPolicy;
}

/**
 * The safety gate: checks that every guarantee in `required` is at least
 * `best_effort` for `path` (a `nontarget` or `unsupported` one fails), then
 * applies `safety`. Writes nothing.
 * @since 0.1.0
 */
export function checkSafety(
  path: string,
  required: Iterable<GuaranteeName>,
  safety: SafetyPolicy,
  symlinks?: "follow" | "replace" | "refuse",
): void {
  if (safety === "best_effort") return;
  const report = inspectGuarantees(path, symlinks ? { symlinks } : {});
  const failing = [...new Set(required)]
    .filter((n) => {
      const level = report.guarantees[n];
      return level === "nontarget" || level === "unsupported";
    })
    .sort();
  if (failing.length === 0) return;
  const message = `environment at ${path} does not provide required guarantees: ${failing
    .map((n) => `${n}=${report.guarantees[n]}`)
    .join("; ")} ('${report.environment.filesystemClass}' filesystem${
    report.environment.filesystem ? ` ${report.environment.filesystem}` : ""
  })`;
  if (safety === "warn") {
    emitUnsupportedEnvironmentWarning(message, path);
    return;
  }
  throw new UnsupportedEnvironmentError(message, { path });
}
