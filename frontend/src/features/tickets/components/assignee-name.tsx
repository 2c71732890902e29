import { useMe } from '@/lib/current-user';
import { userName, useUsers } from '@/lib/users';

/** Who has the ticket, by name (as its owner wrote it, so in its own direction). */
export function AssigneeName({ assigneeId }: { assigneeId: number | null }) {
  const users = useUsers().data;
  const me = useMe().data;
  if (assigneeId === null) return <span className="assignee assignee--none">Unassigned</span>;
  return (
    <span className="assignee" dir="auto">
      {userName(assigneeId, users)}
      {me?.user?.id === assigneeId && <span className="assignee__you"> (you)</span>}
    </span>
  );
}
