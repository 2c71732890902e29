const FACT_LABELS: Record<string, string> = {
  order_id: 'Order ID',
  invoice_id: 'Invoice ID',
  amount: 'Amount',
  date: 'Date',
  error_code: 'Error code',
  email: 'Email',
  phone: 'Phone',
  url: 'Link',
  plan: 'Plan',
  product: 'Product',
  version: 'Version',
};

/** "order_id" → "Order ID"; a kind of fact the server added since gets its name tidied. */
export function factLabel(name: string): string {
  const known = FACT_LABELS[name];
  if (known) return known;
  const words = name.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
