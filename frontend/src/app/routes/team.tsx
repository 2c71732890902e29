import { AuditLog } from '@/features/audit/components/audit-log';
import { Organisations } from '@/features/conversations/components/organisations';
import { MacroSettings } from '@/features/macros/components/macro-settings';
import { SlaSettings } from '@/features/sla/components/sla-settings';
import { TeamPage } from '@/features/users/components/team-page';

export function Component() {
  return (
    <>
      <title>Team · Supportdesk</title>
      <div className="page-header">
        <h1>Team</h1>
        <p className="page-header__lead">
          Invite people, choose their role and teams, hand out password reset links, set the
          service levels, write the macros and see who did what.
        </p>
      </div>
      <TeamPage />
      <Organisations />
      <SlaSettings />
      <MacroSettings />
      <AuditLog />
    </>
  );
}
