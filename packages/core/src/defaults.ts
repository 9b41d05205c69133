/**
 * Every default of @safeatomic/core, in one place. Booleans default to the
 * safe value.
 * @since 0.1.0
 */

/** Text encoding of string data. */
export const DEFAULT_ENCODING = "utf8" as const;
/** Safety policy: throw before any I/O when a needed guarantee is missing. */
export const DEFAULT_SAFETY = "strict" as const;
/** Symlink policy: write to the link's target and keep the link. */
export const DEFAULT_SYMLINKS = "follow" as const;
/** Checksum algorithm used by the checksum package when none is given. */
export const DEFAULT_CHECKSUM_ALGO = "sha256" as const;
/** Extra lock attempts after the first (Python's DEFAULT_RETRIES). */
export const DEFAULT_RETRIES = 0;
/** Delay between lock attempts, in milliseconds (Python's 0.1 s). */
export const DEFAULT_DELAY_MS = 100;
/** Mode bits a new file gets before the umask (`0o666 & ~umask`). */
export const DEFAULT_NEW_FILE_MODE = 0o666;
/** Mode of the temp file while it is being written. */
export const TEMP_FILE_MODE = 0o600;
/** Prefix and suffix of temp files (shared with the Python library). */
export const TEMP_PREFIX = ".safeatomic-tmp-";
export const TEMP_SUFFIX = ".tmp";
/** Chunk size for streamed reads and writes. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/** Payloads up to this size are written on the calling thread (no thread-pool round trip). */
export const INLINE_WRITE_LIMIT = 256 * 1024;
/** How many times a temp-name collision is retried before giving up. */
export const TEMP_NAME_ATTEMPTS = 16;
