"""What every service needs: the database and the validated content."""

from __future__ import annotations

from dataclasses import dataclass

from backend.content.bundle import ContentBundle, QuestionnairePlan
from backend.scoring.workshop import MIN_GROUP_SIZE
from backend.services.kernel.access import Actor
from backend.services.kernel.errors import Conflict, NotFound, Unavailable
from backend.settings import MailSettings
from backend.storage.db import Database, Session
from backend.storage.tables import Assessment, Organisation


def _full_disk_refusal(message: str, retry_after: int) -> Unavailable:
    return Unavailable(message, retry_after=retry_after)


@dataclass(frozen=True)
class Context:
    """The database and content one app instance works with, and who is asking (per request)."""

    db: Database
    content: ContentBundle
    secret: bytes = b""
    actor: Actor | None = None
    min_group_size: int = MIN_GROUP_SIZE  # the fewest participants a workshop split shows as a group
    mail: MailSettings | None = None  # how mail leaves; None: it is queued and left for `tribewise mail send`

    def __post_init__(self) -> None:
        # A full disk is refused like any other service refusal (a 503 that says to retry), whichever write met it.
        self.db.full_error = _full_disk_refusal

    @property
    def who(self) -> str:
        """The email of whoever is acting, for history and the audit log."""
        return self.actor.email if self.actor else ""

    def plan(self, assessment: Assessment) -> QuestionnairePlan:
        """The questionnaire an assessment was answered with, if current content still has it."""
        return self.plan_of(assessment.questionnaire_id)

    def plan_of(self, questionnaire_id: str) -> QuestionnairePlan:
        """A questionnaire of the current content, or a 409 saying it is gone."""
        plan = self.content.plans.get(questionnaire_id)
        if plan is None:
            raise Conflict(
                f"questionnaire '{questionnaire_id}' is no longer in the content; "
                "restore it under questionnaires/ to work on this assessment",
                field="questionnaire_id",
            )
        return plan


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    """An organisation by id, or a 404 that says which."""
    found = session.get(Organisation, organisation_id)
    if found is None:
        raise NotFound(f"organisation {organisation_id} not found", field="organisation_id")
    return found


def get_assessment(session: Session, assessment_id: int) -> Assessment:
    """An assessment by id, or a 404 that says which."""
    found = session.get(Assessment, assessment_id)
    if found is None:
        raise NotFound(f"assessment {assessment_id} not found", field="assessment_id")
    return found
