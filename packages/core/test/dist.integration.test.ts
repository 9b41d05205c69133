import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { useTempDirs } from "@safeatomic/test-utils";
import { describe, expect, it } from "vitest";

// The built package as a user imports it: by name, through its exports map.
const { tempDir } = useTempDirs();
const PKG = new URL("..", import.meta.url).pathname;

function project(): string {
  const d = tempDir("user-");
  mkdirSync(join(d, "node_modules", "@safeatomic"), { recursive: true });
  symlinkSync(PKG, join(d, "node_modules", "@safeatomic", "core"));
  return d;
}

describe("@safeatomic/core from dist", () => {
  it("import { writeAtomic } works from ESM", () => {
    const d = project();
    execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { writeAtomic, readAtomic, SafeAtomicError } from "@safeatomic/core";
         await writeAtomic("out-esm.txt", "esm");
         if (await readAtomic("out-esm.txt") !== "esm" || typeof SafeAtomicError !== "function") process.exit(3);`,
      ],
      { cwd: d },
    );
    expect(readFileSync(join(d, "out-esm.txt"), "utf8")).toBe("esm");
  });

  it("require('@safeatomic/core') works from CJS", () => {
    const d = project();
    execFileSync(
      process.execPath,
      [
        "-e",
        `const { writeAtomicSync, isSafeAtomicError } = require("@safeatomic/core"); writeAtomicSync("out-cjs.txt", "cjs"); if (typeof isSafeAtomicError !== "function") process.exit(3);`,
      ],
      { cwd: d },
    );
    expect(readFileSync(join(d, "out-cjs.txt"), "utf8")).toBe("cjs");
  });
});
