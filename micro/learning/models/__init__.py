"""Operator e-learning: the competence framework, courses and their activities, and learners' records.

Three groups of tables:

* **framework** - reference competences of EntreComp and the Council of Europe RFCDC, and the
  project's own operator competences (two areas, levels with descriptors) mapped onto them;
* **content** - courses → modules → lessons (with images, resources, video links), question banks,
  activities (quiz, scenario, assignment) and their parts. Every text lives in the ``translations``
  field of :class:`~micro.core.content_i18n.TranslatableContent`, the one content-translation
  mechanism of the platform;
* **learner records** - completions, quiz attempts and answers, scenario runs, assignment
  submissions and reviews, and the per-activity / per-competence summaries the progress pages read.

Models hold fields and constraints only; every rule lives in ``services`` and ``selectors``.
Content items that learners have already worked on are *retired* (``is_retired``) instead of
deleted, so no learner record ever loses its question or activity.
"""

# Modules imported only for registration; import their models from the module itself.
from micro.learning.models import certificates, discussions, xapi  # noqa: F401
from micro.learning.models.activities import (
    CHOICE_KINDS,
    Activity,
    ActivityKind,
    Choice,
    MultipleScoring,
    Question,
    QuestionBank,
    QuestionKind,
    QuizPart,
    RubricCriterion,
    RubricLevel,
    ScenarioChoice,
    ScenarioNode,
    SubmissionMode,
    ToleranceMode,
)
from micro.learning.models.cohorts import (
    SURVEY_ITEMS,
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortSession,
    Enrolment,
    Phase,
    SelfAssessment,
    SessionKind,
    SurveyResponse,
)
from micro.learning.models.courses import Course, Lesson, LessonImage, LessonResource, Module, ResourceKind
from micro.learning.models.framework import Competence, CompetenceArea, CompetenceLevel, Framework, ReferenceCompetence
from micro.learning.models.records import (
    ActivityProgress,
    Answer,
    AnswerStatus,
    Attempt,
    AttemptStatus,
    CompetenceScore,
    LessonProgress,
    Review,
    ReviewDecision,
    ReviewScore,
    ScenarioRun,
    Submission,
    SubmissionStatus,
)

__all__ = [
    "CHOICE_KINDS",
    "SURVEY_ITEMS",
    "Activity",
    "ActivityKind",
    "ActivityProgress",
    "Answer",
    "AnswerStatus",
    "Attempt",
    "AttemptStatus",
    "Attendance",
    "AttendanceStatus",
    "Choice",
    "Cohort",
    "CohortSession",
    "Competence",
    "CompetenceArea",
    "CompetenceLevel",
    "CompetenceScore",
    "Course",
    "Enrolment",
    "Framework",
    "Lesson",
    "LessonImage",
    "LessonProgress",
    "LessonResource",
    "Module",
    "MultipleScoring",
    "Phase",
    "Question",
    "QuestionBank",
    "QuestionKind",
    "QuizPart",
    "ReferenceCompetence",
    "ResourceKind",
    "Review",
    "ReviewDecision",
    "ReviewScore",
    "RubricCriterion",
    "RubricLevel",
    "ScenarioChoice",
    "ScenarioNode",
    "ScenarioRun",
    "SelfAssessment",
    "SessionKind",
    "Submission",
    "SubmissionMode",
    "SubmissionStatus",
    "SurveyResponse",
    "ToleranceMode",
]
