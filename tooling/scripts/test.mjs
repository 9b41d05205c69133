#!/usr/bin/env node
// The project's test command (`pnpm test`): builds every package, runs the
// whole vitest suite (all projects) and prints the closing line
// `vitest: N passed, N failed, N skipped`. Exits non-zero on any failure or
// when no test ran. Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const report = join(root, ".vitest-report.json");
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env });

if (!process.argv.includes("--no-build")) {
  const b = run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
  if (b.status !== 0) {
    console.error("build failed");
    process.exit(1);
  }
}
rmSync(report, { force: true });
const extra = process.argv.slice(2).filter((a) => a !== "--no-build");
const t = run("pnpm", [
  "exec",
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...extra,
]);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A suite that failed to load counts as a failure even when it holds no test.
  for (const s of r.testResults ?? [])
    if (s.status === "failed" && (s.assertionResults ?? []).length === 0) failed++;
} else {
  failed = 1;
}
console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (t.status !== 0 || failed > 0 || passed === 0) process.exit(1);
