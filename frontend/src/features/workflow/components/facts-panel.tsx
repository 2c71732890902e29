import { Badge } from '@/components/badge';
import { formatPercent } from '@/lib/labels';
import type { Fact } from '../api/get-ticket-workflow';
import { factLabel } from '../utils/fact-labels';
import { WorkflowPanel } from './workflow-part';

/** What the workflow found in the ticket, how sure it is, and which values look wrong. */
export function FactsPanel({ ticketId }: { ticketId: number }) {
  return (
    <WorkflowPanel
      title="Extracted facts"
      ticketId={ticketId}
      part="facts"
      processing="Extracting facts…"
    >
      {(facts) => <FactTable facts={facts.fields} />}
    </WorkflowPanel>
  );
}

export function FactTable({ facts }: { facts: Fact[] }) {
  if (facts.length === 0) {
    return (
      <p className="panel__muted">
        No order numbers, amounts, dates, error codes or contact details found.
      </p>
    );
  }
  const invalid = facts.filter((fact) => !fact.valid).length;
  return (
    <>
      {invalid > 0 && (
        <p className="panel__warning">
          {invalid === 1 ? '1 value looks wrong' : `${invalid} values look wrong`}: check with
          the customer.
        </p>
      )}
      <table className="fact-table">
        <caption className="visually-hidden">Facts found in the ticket</caption>
        <thead>
          <tr>
            <th scope="col">Fact</th>
            <th scope="col">Value</th>
            <th scope="col" className="fact-table__confidence">
              Confidence
            </th>
          </tr>
        </thead>
        <tbody>
          {facts.map((fact, index) => (
            <ExtractedFactRow key={`${index}-${fact.name}-${fact.raw}`} fact={fact} />
          ))}
        </tbody>
      </table>
    </>
  );
}

function ExtractedFactRow({ fact }: { fact: Fact }) {
  return (
    <tr className={fact.valid ? 'fact' : 'fact fact--invalid'}>
      <th scope="row">{factLabel(fact.name)}</th>
      <td>
        <span className="fact__value" dir="auto">
          {fact.value}
        </span>
        {!fact.valid && (
          <span className="fact__problem">
            <Badge tone="invalid">Invalid</Badge> {fact.reason ?? 'not a valid value'}
          </span>
        )}
        {fact.valid && fact.reason && <span className="facts__note panel__muted">{fact.reason}</span>}
        {fact.valid && fact.raw && fact.raw !== fact.value && (
          <span className="facts__note panel__muted">
            written “<span dir="auto">{fact.raw}</span>”
          </span>
        )}
      </td>
      <td className="fact-table__confidence">{formatPercent(fact.confidence)}</td>
    </tr>
  );
}
