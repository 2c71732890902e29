import { formatPercent } from '@/lib/labels';

type AiMarkProps = {
  confidence: number | null;
  id?: string;
  /** What the AI chose, for the tooltip and screen readers, e.g. "category". */
  subject: string;
};

export function AiMark({ id, confidence, subject }: AiMarkProps) {
  const percent = confidence === null ? null : formatPercent(confidence);
  const description = percent
    ? `AI-suggested ${subject}, ${percent} confidence`
    : `AI-suggested ${subject}`;
  return (
    <span id={id} className="ai-mark" title={description}>
      <span aria-hidden="true">{percent ? `AI · ${percent}` : 'AI'}</span>
      <span className="visually-hidden">{description}</span>
    </span>
  );
}
