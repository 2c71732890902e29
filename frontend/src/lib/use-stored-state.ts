import { useCallback, useState } from 'react';

/** Reads a remembered preference; a browser that refuses storage just forgets. */
export function readStored<T>(key: string, parse: (raw: string) => T | undefined): T | undefined {
  try {
    const raw = window.localStorage.getItem(key);
    return raw === null ? undefined : parse(raw);
  } catch {
    return undefined;
  }
}

export function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private mode or a full quota: the choice lasts until the page closes.
  }
}

/** A boolean display preference (dense rows, filters folded) remembered in localStorage. */
export function useStoredFlag(key: string, fallback: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(
    () => readStored(key, (raw) => (raw === 'true' ? true : raw === 'false' ? false : undefined)) ??
      fallback,
  );
  const set = useCallback(
    (next: boolean) => {
      setValue(next);
      writeStored(key, String(next));
    },
    [key],
  );
  return [value, set];
}
