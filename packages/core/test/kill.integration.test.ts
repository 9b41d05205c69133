import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempFilesIn, useTempDirs } from "@safeatomic/test-utils";
import { describe, expect, it } from "vitest";
import { sweepTempFiles } from "../src/index.js";

// TESTING.md layer 1: writers killed with SIGKILL at random moments while a
// reader validates every state it sees. The in-place writer must fail it.

const { tempDir } = useTempDirs();
const DIST = new URL("../dist/index.js", import.meta.url).pathname;
const WRITER = new URL("./fixtures/kill-writer.mjs", import.meta.url).pathname;
const READER = new URL("./fixtures/kill-reader.mjs", import.meta.url).pathname;
const KILLS = Number(process.env.SAFEATOMIC_KILLS ?? 30);

interface ReaderStats {
  reads: number;
  good: number;
  missing: number;
  empty: number;
  torn: number;
}

function versionOf(buf: Buffer): number | null {
  const nl = buf.indexOf(10);
  if (nl < 0) return null;
  const m = /^SA1 (\d+) (\d+) ([0-9a-f]{64})$/.exec(buf.subarray(0, nl).toString("latin1"));
  if (!m) return null;
  const body = buf.subarray(nl + 1);
  if (body.length !== Number(m[2]) || createHash("sha256").update(body).digest("hex") !== m[3])
    return null;
  return Number(m[1]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runKillLoop(mode: string, kills: number) {
  const d = tempDir();
  const target = join(d, "state.bin");
  const stop = join(d, "stop");
  // an initial valid version so "missing" is a failure too
  const body = Buffer.alloc(10, 1);
  writeFileSync(
    target,
    Buffer.concat([
      Buffer.from(`SA1 0 10 ${createHash("sha256").update(body).digest("hex")}\n`),
      body,
    ]),
  );
  const reader = spawn(process.execPath, [READER, target, stop]);
  let readerOut = "";
  reader.stdout.on("data", (b) => (readerOut += b));
  const readerDone = new Promise<void>((r) => reader.on("exit", () => r()));
  let lastAck = 0;
  let next = 1;
  for (let k = 0; k < kills; k++) {
    const w: ChildProcess = spawn(process.execPath, [WRITER, DIST, mode, target, String(next)]);
    let buf = "";
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    w.stdout!.on("data", (b: Buffer) => {
      buf += b.toString();
      let i = buf.indexOf("\n");
      while (i >= 0) {
        const m = /^ACK (\d+)$/.exec(buf.slice(0, i));
        if (m) lastAck = Math.max(lastAck, Number(m[1]));
        else if (buf.slice(0, i) === "READY") ready();
        buf = buf.slice(i + 1);
        i = buf.indexOf("\n");
      }
    });
    const exited = new Promise<void>((r) => w.on("exit", () => r()));
    await Promise.race([isReady, exited]);
    await sleep(10 + Math.floor(Math.random() * 50));
    w.kill("SIGKILL");
    await exited;
    // After each kill: the file holds one complete version, at least the last acknowledged one.
    const v = versionOf(readFileSync(target));
    expect(v, `after kill ${k} the file is not a complete version`).not.toBeNull();
    if (mode !== "inplace") expect(v!).toBeGreaterThanOrEqual(lastAck);
    sweepTempFiles(d);
    expect(tempFilesIn(d)).toEqual([]);
    next = Math.max(lastAck, v ?? 0) + 1;
  }
  writeFileSync(stop, "");
  await readerDone;
  return { stats: JSON.parse(readerOut) as ReaderStats, lastAck };
}

describe("kill -9 stress (TESTING.md layer 1)", () => {
  it.each(["async", "sync", "writer"])(
    "writeAtomic (%s): zero torn, empty or missing reads across SIGKILLs",
    async (mode) => {
      const { stats, lastAck } = await runKillLoop(mode, KILLS);
      expect(lastAck).toBeGreaterThan(KILLS); // writes really happened between kills
      expect(stats.reads).toBeGreaterThan(100);
      expect({ torn: stats.torn, empty: stats.empty, missing: stats.missing }).toEqual({
        torn: 0,
        empty: 0,
        missing: 0,
      });
    },
  );

  it("fs.writeFile in place fails the same test (so the test can fail)", async () => {
    let bad = 0;
    let reads = 0;
    try {
      const { stats } = await runKillLoop("inplace", 10);
      bad = stats.torn + stats.empty + stats.missing;
      reads = stats.reads;
    } catch {
      // a torn file left behind by a kill is a failure of the in-place writer too
      bad = 1;
    }
    expect(bad, `in-place writer looked atomic over ${reads} reads`).toBeGreaterThan(0);
  });
});
