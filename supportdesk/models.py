"""Every feature's tables, imported in one place so Alembic and tests see the whole schema."""

from supportdesk.db import Base
from supportdesk.jobs import models as jobs_models
from supportdesk.tickets import models as tickets_models
from supportdesk.triage import models as triage_models
from supportdesk.workflow import models as workflow_models

metadata = Base.metadata

__all__ = ["jobs_models", "metadata", "tickets_models", "triage_models", "workflow_models"]
