/**
 * Emitted through `process.emitWarning` (type `UnsupportedEnvironmentWarning`)
 * when the safety policy is `warn` and a guarantee is missing, or when a
 * directory fsync fails under `warn`.
 * @since 0.1.0
 */
export class UnsupportedEnvironmentWarning extends Error {
  override name = "UnsupportedEnvironmentWarning";
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message);
    this.path = path;
  }
}

/** @internal */
export function emitUnsupportedEnvironmentWarning(message: string, path?: string): void {
  process.emitWarning(new UnsupportedEnvironmentWarning(message, path));
}
