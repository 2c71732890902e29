import { useSyncExternalStore } from 'react';

export type Toast = {
  id: number;
  message: string;
  /** e.g. Undo: runs once, and the toast goes. */
  action?: { label: string; run: () => void };
};

/** How long a toast (and so its Undo) stays. */
export const TOAST_MS = 5_000;

type Listener = () => void;

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<Listener>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function emit() {
  for (const listener of listeners) listener();
}

/**
 * Shows a message for a few seconds. Kept outside React so it outlives the row that caused
 * it (a ticket whose new status takes it out of the filtered list). One at a time: a newer
 * toast replaces the one on screen, whose Undo no longer applies.
 */
export function showToast(message: string, action?: Toast['action'], ms = TOAST_MS): number {
  for (const toast of toasts) dismissToast(toast.id);
  const id = nextId++;
  toasts = [{ id, message, action }];
  timers.set(
    id,
    setTimeout(() => dismissToast(id), ms),
  );
  emit();
  return id;
}

export function dismissToast(id: number): void {
  const timer = timers.get(id);
  if (timer !== undefined) clearTimeout(timer);
  timers.delete(id);
  if (!toasts.some((toast) => toast.id === id)) return;
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

function subscribe(listener: Listener) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, () => toasts);
}

/** For tests: start from no toasts. */
export function clearToasts(): void {
  for (const toast of toasts) dismissToast(toast.id);
}
