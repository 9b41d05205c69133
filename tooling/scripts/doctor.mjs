#!/usr/bin/env node
// `pnpm doctor [path] [...]`: runs the safeatomic CLI's doctor on a path (the
// current directory by default). Until apps/cli is built it falls back to
// core's guarantee report, which needs no writes.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const root = new URL("../..", import.meta.url).pathname;
const cli = `${root}apps/cli/dist/cli.js`;
const args = process.argv.slice(2);
const cwd = process.env.INIT_CWD ?? process.cwd();
if (existsSync(cli)) {
  const r = spawnSync(process.execPath, [cli, "doctor", ...args], { stdio: "inherit", cwd });
  process.exit(r.status ?? 1);
}
const { inspectGuarantees } = await import(`${root}packages/core/dist/index.js`);
const report = inspectGuarantees(args[0] ?? cwd);
console.log(String(report));
for (const [name, level] of Object.entries(report.guarantees)) console.log(`  ${name}: ${level}`);
