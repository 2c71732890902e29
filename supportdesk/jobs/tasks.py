"""Import every feature's tasks so the registry knows them in every process."""

import importlib

# Feature packages that define tasks in their `tasks` module.
FEATURES = ("workflow", "duplicates", "analysis")


def load_tasks() -> None:
    for feature in FEATURES:
        try:
            importlib.import_module(f"supportdesk.{feature}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"supportdesk.{feature}.tasks" and exc.name != f"supportdesk.{feature}":
                raise
