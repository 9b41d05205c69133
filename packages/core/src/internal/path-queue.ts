// In-process FIFO per canonical path. A slot is taken synchronously, in call
// order, so "the last call wins" holds; a coalescing entry that has not
// started yet absorbs later coalescing calls (latest wins), and all of its
// callers settle together when its commit (of the newest payload) is done.

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

interface Entry {
  started: boolean;
  coalesce: boolean;
  payload: unknown;
  waiters: Waiter[];
  run: (payload: unknown) => Promise<void>;
}

interface Line {
  entries: Entry[];
}

const lines = new Map<string, Line>();

function pump(key: string, line: Line): void {
  const head = line.entries[0];
  if (!head || head.started) return;
  head.started = true;
  let p: Promise<void>;
  try {
    p = head.run(head.payload);
  } catch (err) {
    p = Promise.reject(err);
  }
  p.then(
    () => {
      for (const w of head.waiters) w.resolve();
    },
    (err: unknown) => {
      for (const w of head.waiters) w.reject(err);
    },
  ).finally(() => {
    line.entries.shift();
    if (line.entries.length === 0) lines.delete(key);
    else pump(key, line);
  });
}

/**
 * Runs `run(payload)` when every earlier entry for `key` has settled. With
 * `coalesce`, a not-yet-started coalescing tail entry takes the new payload
 * instead and this call settles with it.
 */
export function enqueue<P>(
  key: string,
  payload: P,
  run: (payload: P) => Promise<void>,
  coalesce = false,
): Promise<void> {
  let line = lines.get(key);
  if (!line) {
    line = { entries: [] };
    lines.set(key, line);
  }
  return new Promise<void>((resolve, reject) => {
    const l = line as Line;
    const tail = l.entries[l.entries.length - 1];
    if (coalesce && tail?.coalesce && !tail.started) {
      tail.payload = payload;
      tail.waiters.push({ resolve, reject });
      return;
    }
    l.entries.push({
      started: false,
      coalesce,
      payload,
      waiters: [{ resolve, reject }],
      run: run as (p: unknown) => Promise<void>,
    });
    pump(key, l);
  });
}

/** Holds the slot for `key` until the returned release is called (streaming writers). */
export function holdSlot(key: string): Promise<() => void> {
  return new Promise((outerResolve) => {
    void enqueue(key, undefined, () => new Promise<void>((release) => outerResolve(release)));
  });
}

/** Number of entries queued or running for `key` (tests). */
export function queueDepth(key: string): number {
  return lines.get(key)?.entries.length ?? 0;
}
