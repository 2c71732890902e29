import type { ReactNode } from 'react';

type BadgeProps = {
  /** Picks the colour, e.g. "priority-high" or "review" (see styles.css). */
  tone: string;
  children: ReactNode;
};

export function Badge({ tone, children }: BadgeProps) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}
