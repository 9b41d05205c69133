// Shared tsup settings: ESM + CJS + d.ts for Node 20, one entry per package.
/** @param {import("tsup").Options} [overrides] */
export function packageConfig(overrides = {}) {
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    platform: "node",
    splitting: false,
    treeshake: true,
    ...overrides,
  };
}
