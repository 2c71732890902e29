"""Import every feature's tasks so the registry knows them in every process."""

import importlib

# Not imported at module level: the features import the job registry themselves.
TASK_MODULES = (
    "supportdesk.analysis.tasks",
    "supportdesk.auth.tasks",
    "supportdesk.conversations.tasks",
    "supportdesk.duplicates.tasks",
    "supportdesk.inbox.tasks",
    "supportdesk.jobs.housekeeping",
    "supportdesk.mail.tasks",
    "supportdesk.notifications.tasks",
    "supportdesk.sla.tasks",
    "supportdesk.tickets.tasks",
    "supportdesk.triage.tasks",
    "supportdesk.workflow.tasks",
    "supportdesk.workspace.tasks",
)


def load_tasks() -> None:
    for module in TASK_MODULES:
        importlib.import_module(module)
