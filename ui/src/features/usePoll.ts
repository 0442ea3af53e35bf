// Re-read something from Rust every few seconds while a view is open: the runtime moves on by
// itself (counts grow, a scheduled start arrives, a completing version empties).
import { useEffect, useState } from "react";
import { errorMessage } from "../ipc";

/** How often polled views are re-read. */
export const POLL_MS = 3000;

/**
 * Calls `read` now and then every `POLL_MS` while mounted and `enabled`, starting again when
 * `deps` change; the latest value and the latest failure's message (cleared by a success).
 */
export function usePoll<T>(
  read: () => Promise<T>,
  deps: readonly unknown[],
  enabled = true,
): { value: T | null; problem: string | null; setValue: (v: T) => void } {
  const [value, setValue] = useState<T | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const v = await read();
        if (!active) return;
        setValue(v);
        setProblem(null);
      } catch (e) {
        if (active) setProblem(errorMessage(e));
      }
      if (active) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      active = false;
      if (timer) clearTimeout(timer);
    };
    // `read` is a fresh closure each render; `deps` say when it reads something else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, ...deps]);
  return { value, problem, setValue };
}
