"""Choose the classifier this process serves with, from settings."""

from supportdesk.config import Settings
from supportdesk.triage.base import Classifier
from supportdesk.triage.rules import RuleClassifier


def build_classifier(settings: Settings) -> Classifier:
    return RuleClassifier(review_threshold=settings.triage.review_threshold)
