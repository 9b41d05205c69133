import { defineProject } from "vitest/config";

// Shared per-package vitest project. Real-filesystem tests spawn processes and
// fsync, so timeouts are generous; nothing here times the library.
/** @param {string} name @param {import("vitest/config").UserWorkspaceConfig["test"]} [test] */
export function packageProject(name, test = {}) {
  return defineProject({
    test: {
      name,
      include: ["test/**/*.test.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: "forks",
      ...test,
    },
  });
}
