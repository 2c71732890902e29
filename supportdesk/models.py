"""Every feature's tables, imported in one place so Alembic and tests see the whole schema."""

from supportdesk.analysis import models as analysis_models
from supportdesk.audit import models as audit_models
from supportdesk.auth import models as auth_models
from supportdesk.conversations import models as conversations_models
from supportdesk.db import Base
from supportdesk.duplicates import models as duplicates_models
from supportdesk.jobs import models as jobs_models
from supportdesk.llm import models as llm_models
from supportdesk.macros import models as macros_models
from supportdesk.mail import models as mail_models
from supportdesk.sla import models as sla_models
from supportdesk.tickets import models as tickets_models
from supportdesk.triage import models as triage_models
from supportdesk.workflow import models as workflow_models
from supportdesk.workspace import models as workspace_models

metadata = Base.metadata

__all__ = [
    "analysis_models",
    "audit_models",
    "auth_models",
    "conversations_models",
    "duplicates_models",
    "jobs_models",
    "llm_models",
    "macros_models",
    "mail_models",
    "metadata",
    "sla_models",
    "tickets_models",
    "triage_models",
    "workflow_models",
    "workspace_models",
]
