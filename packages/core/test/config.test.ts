import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useTempDirs } from "@safeatomic/test-utils";
import { describe, expect, it } from "vitest";
import { currentConfig, safeatomicConfig, writeAtomic } from "../src/index.js";

const { tempDir } = useTempDirs();

describe("safeatomicConfig", () => {
  it("scopes the encoding across awaits; explicit options win; nesting is key by key", async () => {
    const d = tempDir();
    await safeatomicConfig({ encoding: "utf16le", retries: 3 }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      await writeAtomic(join(d, "a"), "hi");
      await writeAtomic(join(d, "b"), "hi", { encoding: "utf8" });
      await safeatomicConfig({ delay: 5 }, async () => {
        expect(currentConfig()).toMatchObject({ encoding: "utf16le", retries: 3, delay: 5 });
      });
    });
    expect(readFileSync(join(d, "a"))).toEqual(Buffer.from("hi", "utf16le"));
    expect(readFileSync(join(d, "b"), "utf8")).toBe("hi");
    expect(currentConfig()).toEqual({
      encoding: "utf8",
      checksumAlgo: "sha256",
      retries: 0,
      delay: 100,
    });
  });

  it("is isolated between concurrent async contexts", async () => {
    const seen = await Promise.all(
      ["latin1", "utf16le"].map((e) =>
        safeatomicConfig({ encoding: e as BufferEncoding }, async () => {
          await new Promise((r) => setTimeout(r, 5));
          return currentConfig().encoding;
        }),
      ),
    );
    expect(seen).toEqual(["latin1", "utf16le"]);
  });

  it("refuses guarantee-affecting keys and wrong types with a TypeError", () => {
    for (const bad of [
      { safety: "best_effort" },
      { concurrency: "none" },
      { guard: {} },
      { fsync: false },
    ]) {
      expect(() => safeatomicConfig(bad as never, () => 0)).toThrow(TypeError);
    }
    expect(() => safeatomicConfig({ encoding: "klingon" as BufferEncoding }, () => 0)).toThrow(
      TypeError,
    );
    expect(() => safeatomicConfig({ retries: 1.5 }, () => 0)).toThrow(TypeError);
    expect(() => safeatomicConfig({ checksumAlgo: 5 as unknown as string }, () => 0)).toThrow(
      TypeError,
    );
  });
});
