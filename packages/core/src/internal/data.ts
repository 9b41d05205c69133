import type { Readable } from "node:stream";
import { ErrorCode, SafeAtomicError } from "../errors.js";

/** Anything `writeAtomic` accepts as content. @since 0.1.0 */
export type WriteData =
  | string
  | Uint8Array
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Readable;

/** What `writeAtomicSync` accepts as content. @since 0.1.0 */
export type WriteDataSync = string | Uint8Array | Iterable<string | Uint8Array>;

const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
const UTF16LE_BOM = Uint8Array.of(0xff, 0xfe);

/** @internal */
export function normalizeEncoding(
  encoding: string | undefined,
  fallback: BufferEncoding,
): BufferEncoding {
  const e = encoding ?? fallback;
  if (typeof e !== "string" || !Buffer.isEncoding(e)) {
    throw new SafeAtomicError(ErrorCode.INVALID_ARGUMENT, `unknown encoding: ${String(e)}`);
  }
  return e.toLowerCase() as BufferEncoding;
}

function isUtf8(e: BufferEncoding): boolean {
  return e === "utf8" || e === "utf-8";
}

function isUtf16(e: BufferEncoding): boolean {
  return e === "utf16le" || e === "utf-16le" || e === "ucs2" || e === "ucs-2";
}

/** The byte-order mark for `encoding` (utf8, utf16le), or throws for one that has none. */
export function bomFor(encoding: BufferEncoding): Uint8Array {
  if (isUtf8(encoding)) return UTF8_BOM;
  if (isUtf16(encoding)) return UTF16LE_BOM;
  throw new SafeAtomicError(
    ErrorCode.INVALID_ARGUMENT,
    `bom: true needs utf8 or utf16le (got ${encoding})`,
  );
}

const LATIN1_RANGE = /[^\u0000-\u00ff]/;
const ASCII_RANGE = /[^\u0000-\u007f]/;

/**
 * Encodes text, refusing anything the encoding would silently change: lone
 * surrogates in UTF-8/UTF-16, characters outside latin1/ascii.
 */
export function encodeText(text: string, encoding: BufferEncoding): Uint8Array {
  if ((isUtf8(encoding) || isUtf16(encoding)) && !text.isWellFormed()) {
    throw new SafeAtomicError(
      ErrorCode.ENCODING_ERROR,
      `string contains a lone surrogate and cannot be encoded as ${encoding}`,
    );
  }
  if ((encoding === "latin1" || encoding === "binary") && LATIN1_RANGE.test(text)) {
    throw new SafeAtomicError(ErrorCode.ENCODING_ERROR, `string has characters outside latin1`);
  }
  if (encoding === "ascii" && ASCII_RANGE.test(text)) {
    throw new SafeAtomicError(ErrorCode.ENCODING_ERROR, `string has characters outside ascii`);
  }
  return Buffer.from(text, encoding);
}

/**
 * Encodes a stream of string chunks; a high surrogate at the end of one chunk
 * is held back until the next, so a pair split across chunks is not refused.
 */
export class ChunkEncoder {
  private pending = "";
  constructor(private readonly encoding: BufferEncoding) {}

  push(chunk: string | Uint8Array): Uint8Array {
    if (typeof chunk !== "string") {
      if (!(chunk instanceof Uint8Array)) {
        throw new SafeAtomicError(
          ErrorCode.INVALID_ARGUMENT,
          `stream chunks must be strings or Uint8Array (got ${typeof chunk})`,
        );
      }
      if (this.pending)
        throw new SafeAtomicError(ErrorCode.ENCODING_ERROR, "lone surrogate before a byte chunk");
      return chunk;
    }
    let text = this.pending + chunk;
    this.pending = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.pending = text.slice(-1);
      text = text.slice(0, -1);
    }
    return encodeText(text, this.encoding);
  }

  end(): void {
    if (this.pending)
      throw new SafeAtomicError(
        ErrorCode.ENCODING_ERROR,
        "string stream ends with a lone surrogate",
      );
  }
}

/** True for string / bytes: content that is encoded before any side effect. */
export function isImmediate(data: unknown): data is string | Uint8Array {
  return typeof data === "string" || data instanceof Uint8Array;
}

/** @internal */
export function isAsyncIterable(x: unknown): x is AsyncIterable<string | Uint8Array> {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
  );
}

/** @internal */
export function isSyncIterable(x: unknown): x is Iterable<string | Uint8Array> {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as Iterable<unknown>)[Symbol.iterator] === "function"
  );
}

/** Validates `data` and encodes immediate content (step 1 of the protocol). */
export function prepareImmediate(
  data: string | Uint8Array,
  encoding: BufferEncoding,
  bom: boolean,
): Uint8Array {
  const body = typeof data === "string" ? encodeText(data, encoding) : data;
  if (!bom) return body;
  const mark = bomFor(encoding);
  const out = new Uint8Array(mark.length + body.length);
  out.set(mark, 0);
  out.set(body, mark.length);
  return out;
}

/** Rejects content types that are not accepted, before any side effect. */
export function assertWriteData(data: unknown, sync: boolean): void {
  if (isImmediate(data)) return;
  if (isSyncIterable(data)) return;
  if (!sync && isAsyncIterable(data)) return;
  throw new SafeAtomicError(
    ErrorCode.INVALID_ARGUMENT,
    sync
      ? "writeAtomicSync data must be a string, a Uint8Array or an Iterable of them"
      : "writeAtomic data must be a string, a Uint8Array, an (async) iterable of them or a Readable",
  );
}
