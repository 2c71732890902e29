import '@/workspace.css';
import { useParams } from 'react-router';
import { RunReport } from '@/features/analysis/components/run-report';
import { parseId } from '@/lib/parse-id';
import { Component as NotFound } from './not-found';

export function Component() {
  const runId = parseId(useParams().id);
  if (runId === null) return <NotFound />;
  return <RunReport key={runId} id={runId} />;
}
