import { ProblemError } from '@/lib/api-client';

/** Batch runs read every team's tickets, so the server lets only admins start or read them. */
export function AdminsOnly() {
  return (
    <div className="alert admins-only" role="note">
      <p className="alert__title">Analysis runs are for admins.</p>
      <p>A run reads every team’s tickets; ask an admin to start one or to share its report.</p>
    </div>
  );
}

export function isForbidden(error: unknown): boolean {
  return error instanceof ProblemError && error.status === 403;
}
