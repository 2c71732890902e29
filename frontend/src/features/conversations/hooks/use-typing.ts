import { useEffect, useRef, useState } from 'react';
import { apiFetch } from '@/lib/api-client';
import { useLiveEvent } from '@/lib/live-updates';

// The server hears "still typing" at most this often; a peer shows as typing a little
// longer than that, so a steady typist never flickers off.
export const TYPING_EVERY_MS = 3_000;
export const TYPING_SHOWN_MS = 6_000;

/** Tells the others on the ticket that the signed-in agent is writing (at most every 3 s). */
export function useAnnounceTyping(ticketId: number): () => void {
  const last = useRef(0);
  return () => {
    const now = Date.now();
    if (now - last.current < TYPING_EVERY_MS) return;
    last.current = now;
    // Only a hint for the others: a failure here must not disturb the writer.
    apiFetch(`/api/tickets/${ticketId}/typing`, { method: 'POST' }).catch(() => {});
  };
}

/** The names of the other agents writing to this ticket right now. */
export function useTypingPeers(ticketId: number, myUserId: number | null): string[] {
  const [until, setUntil] = useState<Record<string, number>>({});
  useLiveEvent((event) => {
    if (event.type !== 'typing' || event.id !== ticketId) return;
    if (myUserId !== null && event.user_id === myUserId) return;
    const name = typeof event.name === 'string' ? event.name : 'Someone';
    setUntil((current) => ({ ...current, [name]: Date.now() + TYPING_SHOWN_MS }));
  });
  const names = Object.keys(until);
  useEffect(() => {
    if (names.length === 0) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setUntil((current) =>
        Object.fromEntries(Object.entries(current).filter(([, end]) => end > now)),
      );
    }, 1_000);
    return () => clearInterval(timer);
  }, [names.length]);
  return names;
}
