import { Badge } from '@/components/badge';
import type { RunStatus } from '../api/types';
import { RUN_STATUS_LABELS } from '../utils/run-labels';

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <Badge tone={`run-${status}`}>{RUN_STATUS_LABELS[status]}</Badge>;
}
