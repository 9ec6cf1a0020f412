from django.urls import path

from micro.learning.views import certificates, courses, dashboard, discussions, xapi

app_name = "learning"


course_urls = [
    path("", courses.course_list, name="courses"),
    path("progress/", courses.my_progress, name="progress"),
    path("cohorts/", courses.cohort_list, name="cohorts"),
    path("cohorts/<int:cohort_id>/", courses.cohort_detail, name="cohort"),
    path("cohorts/<int:cohort_id>/sessions/<int:session_id>/attendance/", courses.attendance, name="attendance"),
    path("cohorts/<int:cohort_id>/self-assessment/<slug:phase>/", courses.self_assessment, name="self_assessment"),
    path("cohorts/<int:cohort_id>/survey/", courses.survey, name="survey"),
    path("reviews/", courses.review_list, name="reviews"),
    path("reviews/<int:submission_id>/", courses.review_detail, name="review"),
    path("activities/<int:activity_id>/", courses.activity_detail, name="activity"),
    path("activities/<int:activity_id>/start/", courses.quiz_start, name="quiz_start"),
    path("activities/<int:activity_id>/play/", courses.scenario_start, name="scenario_start"),
    path("attempts/<int:attempt_id>/", courses.attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/results/", courses.attempt_result, name="attempt_result"),
    path("runs/<int:run_id>/", courses.scenario_run, name="scenario_run"),
    path("submissions/<int:submission_id>/file/", courses.submission_file, name="submission_file"),
    path("files/images/<int:pk>/", courses.lesson_image, name="lesson_image"),
    path("files/resources/<int:pk>/", courses.resource_download, name="resource"),
    path("preview/lessons/<int:lesson_id>/", courses.preview_lesson, name="preview_lesson"),
    path("preview/activities/<int:activity_id>/", courses.preview_activity, name="preview_activity"),
]

# The course and lesson slugs catch everything else, so they come last.
catch_all_urls = [
    path("<slug:course_slug>/", courses.course_detail, name="course"),
    path("<slug:course_slug>/<slug:module_slug>/<slug:lesson_slug>/", courses.lesson_detail, name="lesson"),
]

# Newer areas declare their routes at the foot of their own view module (``routes``).
urlpatterns = [
    *course_urls,
    *certificates.routes,
    *dashboard.routes,
    *discussions.routes,
    *xapi.routes,
    *catch_all_urls,
]
