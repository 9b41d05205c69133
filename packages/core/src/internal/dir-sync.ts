import { constants } from "node:fs";
import { ops } from "./fs-ops.js";

// Group commit of directory fsyncs. A caller asks after its rename; it may
// only be covered by an fsync that STARTS after that request. While one fsync
// of a directory is in flight, every new request joins the next round, which
// starts when the current one ends: many concurrent commits in one directory
// share a few directory fsyncs (formal/CommitProtocol.tla, SharedDirFsync).

interface Round {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

interface DirState {
  running: boolean;
  next: Round | null;
}

const dirs = new Map<string, DirState>();

const O_DIRECTORY = constants.O_DIRECTORY ?? 0;

function newRound(): Round {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function fsyncDirOnce(dir: string): Promise<void> {
  const fd = ops.openSync(dir, constants.O_RDONLY | O_DIRECTORY);
  try {
    await ops.fsync(fd);
  } finally {
    ops.closeSync(fd);
  }
}

function startRound(dir: string, state: DirState, round: Round): void {
  state.running = true;
  fsyncDirOnce(dir)
    .then(round.resolve, round.reject)
    .finally(() => {
      const next = state.next;
      state.next = null;
      if (next) startRound(dir, state, next);
      else {
        state.running = false;
        dirs.delete(dir);
      }
    });
}

/** fsyncs `dir`, sharing the call with concurrent requests that may share it. */
export function syncDirectory(dir: string): Promise<void> {
  let state = dirs.get(dir);
  if (!state) {
    state = { running: false, next: null };
    dirs.set(dir, state);
  }
  if (!state.running) {
    const round = newRound();
    startRound(dir, state, round);
    return round.promise;
  }
  if (!state.next) state.next = newRound();
  return state.next.promise;
}

/** fsyncs `dir` on the calling thread. */
export function syncDirectorySync(dir: string): void {
  const fd = ops.openSync(dir, constants.O_RDONLY | O_DIRECTORY);
  try {
    ops.fsyncSync(fd);
  } finally {
    ops.closeSync(fd);
  }
}
