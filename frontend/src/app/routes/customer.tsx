import { useLocation } from 'react-router';
import {
  customerSession,
  secretFromHash,
  signInSecretFromHash,
} from '@/features/customer/api/customer';
import { CustomerPortal } from '@/features/customer/components/customer-portal';
import { CustomerTicket } from '@/features/customer/components/customer-ticket';

/** `/c#<secret>`: one ticket by its private link; `/c#signin=<secret>`: all of theirs. */
export function Component() {
  const { hash } = useLocation();
  const secret = secretFromHash(hash);
  const signIn = signInSecretFromHash(hash);
  if (secret) {
    return (
      <>
        <title>Your ticket</title>
        <h1>Your ticket</h1>
        <CustomerTicket secret={secret} />
      </>
    );
  }
  if (signIn || customerSession.get()) {
    return (
      <>
        <title>Your tickets</title>
        <h1>Your tickets</h1>
        <CustomerPortal signInSecret={signIn} />
      </>
    );
  }
  return (
    <>
      <title>Your ticket</title>
      <h1>Your ticket</h1>
      <p role="alert" className="alert alert--error">
        This page needs the whole link we gave you, including the part after “#”.
      </p>
    </>
  );
}
