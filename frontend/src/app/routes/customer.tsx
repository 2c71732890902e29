import { useLocation } from 'react-router';
import { secretFromHash } from '@/features/customer/api/customer';
import { CustomerTicket } from '@/features/customer/components/customer-ticket';

export function Component() {
  const secret = secretFromHash(useLocation().hash);
  return (
    <>
      <title>Your ticket</title>
      <h1>Your ticket</h1>
      {secret ? (
        <CustomerTicket secret={secret} />
      ) : (
        <p role="alert" className="alert alert--error">
          This page needs the whole link we gave you, including the part after “#”.
        </p>
      )}
    </>
  );
}
