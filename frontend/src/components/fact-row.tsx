import type { ReactNode } from 'react';

/** One label–value row of a `<dl className="facts">` list. */
export function FactRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
