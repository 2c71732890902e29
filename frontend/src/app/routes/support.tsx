import { PublicForm } from '@/features/customer/components/public-form';

export function Component() {
  return (
    <>
      <title>Contact support</title>
      <h1>Contact support</h1>
      <PublicForm />
    </>
  );
}
