export { AtomicReader, type AtomicReaderOptions } from "./atomic-reader.js";
export {
  AtomicWriter,
  type AtomicWriterOptions,
  type AtomicWriterState,
  createAtomicWriteStream,
} from "./atomic-writer.js";
export {
  currentConfig,
  type ResolvedConfig,
  type SafeAtomicConfig,
  safeatomicConfig,
} from "./config.js";
export {
  DEFAULT_CHECKSUM_ALGO,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_DELAY_MS,
  DEFAULT_ENCODING,
  DEFAULT_NEW_FILE_MODE,
  DEFAULT_RETRIES,
  DEFAULT_SAFETY,
  DEFAULT_SYMLINKS,
  TEMP_FILE_MODE,
  TEMP_PREFIX,
  TEMP_SUFFIX,
} from "./defaults.js";
export {
  type Capability,
  classifyFilesystem,
  clearEnvironmentCache,
  detectEnvironment,
  type Environment,
  type FilesystemClass,
} from "./environment.js";
export {
  ChecksumMismatchError,
  CrossDeviceAtomicityError,
  ErrorCode,
  fromSystemError,
  isSafeAtomicError,
  LockError,
  LockTimeoutError,
  SafeAtomicError,
  type SafeAtomicErrorOptions,
  UnsupportedEnvironmentError,
} from "./errors.js";
export {
  GUARANTEE_MATRIX,
  GUARANTEE_NAMES,
  type GuaranteeLevel,
  type GuaranteeName,
  GuaranteeReport,
  inspectGuarantees,
  normalizeGuaranteeName,
} from "./guarantees.js";
export type {
  CommitContext,
  CommitObservation,
  CommitObserver,
  Format,
  GuardHandle,
  ReadVerification,
  ReadVerifier,
  WriteGuard,
} from "./interfaces.js";
export type { WriteData, WriteDataSync } from "./internal/data.js";
export type { SymlinkPolicy } from "./internal/target.js";
export { isTempBasename } from "./internal/temp-name.js";
export { type MoveAtomicOptions, moveAtomic, moveAtomicSync } from "./move-atomic.js";
export {
  type ReadAtomicOptions,
  readAtomic,
  readAtomicBytes,
  readAtomicBytesSync,
  readAtomicSync,
} from "./read-atomic.js";
export { checkSafety, type SafetyPolicy } from "./safety.js";
export {
  DEFAULT_FOREIGN_TEMP_MAX_AGE_MS,
  type SweepResult,
  type SweepTempFilesOptions,
  sweepTempFiles,
} from "./sweep-temp-files.js";
export { emitUnsupportedEnvironmentWarning, UnsupportedEnvironmentWarning } from "./warnings.js";
export {
  type WriteAtomicOptions,
  type WriteAtomicSyncOptions,
  writeAtomic,
  writeAtomicBytes,
  writeAtomicBytesSync,
  writeAtomicSync,
} from "./write-atomic.js";
