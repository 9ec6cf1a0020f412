"""Every write of the e-learning platform, grouped by activity (see each module's docstring)."""

from micro.learning.services.assignments import submission_review, submission_submit, upload_error_message
from micro.learning.services.cohorts import attendance_record, enrolment_add, self_assessment_save, survey_submit
from micro.learning.services.progress import activity_result_record, competence_scores_replace, lesson_mark_read
from micro.learning.services.quizzes import (
    SUBMIT_GRACE,
    attempt_answers_save,
    attempt_close_if_expired,
    attempt_start,
    attempt_submit,
    question_answer_compute,
)
from micro.learning.services.scenarios import scenario_run_choose, scenario_run_start

__all__ = [
    "SUBMIT_GRACE",
    "activity_result_record",
    "attempt_answers_save",
    "attempt_close_if_expired",
    "attempt_start",
    "attempt_submit",
    "attendance_record",
    "competence_scores_replace",
    "enrolment_add",
    "lesson_mark_read",
    "question_answer_compute",
    "scenario_run_choose",
    "scenario_run_start",
    "self_assessment_save",
    "submission_review",
    "submission_submit",
    "survey_submit",
    "upload_error_message",
]
