"""Models of the Ideenspeicher: ideas, evaluation and project pages.

Split by concern: ``ideas`` (what citizens submit, support and follow),
``evaluation`` (working groups, scorecards, rounds and scores) and ``pages``
(the Wagtail pages citizens browse, and which milestones were announced).
"""

from ideas.models.evaluation import (
    Assignment,
    Criterion,
    Decision,
    Direction,
    EvaluationRound,
    MatrixAxis,
    Membership,
    Recusal,
    Score,
    ScoreAuditEntry,
    Scorecard,
    WorkingGroup,
)
from ideas.models.ideas import (
    PUBLIC_STATUSES,
    TRANSITIONS,
    District,
    Follow,
    Idea,
    IdeaEvent,
    IdeaStatus,
    Source,
    Support,
)
from ideas.models.pages import IdeaIndexPage, MilestoneAnnouncement, ProjectIndexPage, ProjectMilestone, ProjectPage

__all__ = [
    "PUBLIC_STATUSES",
    "TRANSITIONS",
    "Assignment",
    "Criterion",
    "Decision",
    "Direction",
    "District",
    "EvaluationRound",
    "Follow",
    "Idea",
    "IdeaEvent",
    "IdeaIndexPage",
    "IdeaStatus",
    "MatrixAxis",
    "Membership",
    "MilestoneAnnouncement",
    "ProjectIndexPage",
    "ProjectMilestone",
    "ProjectPage",
    "Recusal",
    "Score",
    "ScoreAuditEntry",
    "Scorecard",
    "Source",
    "Support",
    "WorkingGroup",
]
