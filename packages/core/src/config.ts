import { AsyncLocalStorage } from "node:async_hooks";
import {
  DEFAULT_CHECKSUM_ALGO,
  DEFAULT_DELAY_MS,
  DEFAULT_ENCODING,
  DEFAULT_RETRIES,
} from "./defaults.js";

/**
 * The four settings that may be scoped with {@link safeatomicConfig}. None of
 * them changes a guarantee.
 * @since 0.1.0
 */
export interface SafeAtomicConfig {
  /** Text encoding of string data (default `"utf8"`). */
  readonly encoding?: BufferEncoding;
  /** Checksum algorithm (default `"sha256"`). */
  readonly checksumAlgo?: string;
  /** Extra lock attempts after the first (default 0). */
  readonly retries?: number;
  /** Milliseconds between lock attempts (default 100; Python's `delay` is in seconds). */
  readonly delay?: number;
}

/** The resolved configuration. @since 0.1.0 */
export interface ResolvedConfig {
  readonly encoding: BufferEncoding;
  readonly checksumAlgo: string;
  readonly retries: number;
  readonly delay: number;
}

const DEFAULTS: ResolvedConfig = Object.freeze({
  encoding: DEFAULT_ENCODING,
  checksumAlgo: DEFAULT_CHECKSUM_ALGO,
  retries: DEFAULT_RETRIES,
  delay: DEFAULT_DELAY_MS,
});

const storage = new AsyncLocalStorage<ResolvedConfig>();
const KEYS = new Set(["encoding", "checksumAlgo", "retries", "delay"]);

/**
 * Runs `fn` with some defaults changed for every safeatomic call made inside
 * it, including across `await`s (AsyncLocalStorage). Nesting overrides key by
 * key; an explicit option of a call still wins.
 *
 * Options that change a guarantee (`safety`, `concurrency`, `guard`, fsync…)
 * cannot be set here: they throw a `TypeError`, as does a value of the wrong type.
 *
 * @since 0.1.0
 */
export function safeatomicConfig<T>(config: SafeAtomicConfig, fn: () => T): T {
  if (typeof config !== "object" || config === null)
    throw new TypeError("config must be an object");
  for (const key of Object.keys(config)) {
    if (!KEYS.has(key)) {
      throw new TypeError(
        `safeatomicConfig does not accept '${key}': only encoding, checksumAlgo, retries and delay can be scoped (guarantee-affecting options are set per call)`,
      );
    }
  }
  const { encoding, checksumAlgo, retries, delay } = config;
  if (encoding !== undefined && (typeof encoding !== "string" || !Buffer.isEncoding(encoding))) {
    throw new TypeError(`encoding must be a Node Buffer encoding (got ${String(encoding)})`);
  }
  if (checksumAlgo !== undefined && typeof checksumAlgo !== "string") {
    throw new TypeError("checksumAlgo must be a string");
  }
  if (retries !== undefined && !Number.isInteger(retries))
    throw new TypeError("retries must be an integer");
  if (delay !== undefined && (typeof delay !== "number" || Number.isNaN(delay))) {
    throw new TypeError("delay must be a number of milliseconds");
  }
  const base = storage.getStore() ?? DEFAULTS;
  const next: ResolvedConfig = Object.freeze({
    encoding: encoding ?? base.encoding,
    checksumAlgo: checksumAlgo ?? base.checksumAlgo,
    retries: retries ?? base.retries,
    delay: delay ?? base.delay,
  });
  return storage.run(next, fn);
}

/**
 * The configuration in force for the current async context (defaults outside
 * any {@link safeatomicConfig}). Used by the other safeatomic packages.
 * @since 0.1.0
 */
export function currentConfig(): ResolvedConfig {
  return storage.getStore() ?? DEFAULTS;
}
