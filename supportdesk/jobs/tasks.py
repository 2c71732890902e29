"""Import every feature's tasks so the registry knows them in every process."""


def load_tasks() -> None:
    # Imported here, not at module level: the features import the job registry themselves.
    from supportdesk.analysis import tasks as analysis_tasks
    from supportdesk.duplicates import tasks as duplicates_tasks
    from supportdesk.workflow import tasks as workflow_tasks

    del analysis_tasks, duplicates_tasks, workflow_tasks
