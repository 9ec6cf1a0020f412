from django.urls import path

from micro.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.course_list, name="courses"),
    path("progress/", views.my_progress, name="progress"),
    path("cohorts/", views.cohort_list, name="cohorts"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:cohort_id>/sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("cohorts/<int:cohort_id>/self-assessment/<slug:phase>/", views.self_assessment, name="self_assessment"),
    path("cohorts/<int:cohort_id>/survey/", views.survey, name="survey"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<int:submission_id>/", views.review_detail, name="review"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("activities/<int:activity_id>/start/", views.quiz_start, name="quiz_start"),
    path("activities/<int:activity_id>/play/", views.scenario_start, name="scenario_start"),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/results/", views.attempt_result, name="attempt_result"),
    path("runs/<int:run_id>/", views.scenario_run, name="scenario_run"),
    path("submissions/<int:submission_id>/file/", views.submission_file, name="submission_file"),
    path("files/images/<int:pk>/", views.lesson_image, name="lesson_image"),
    path("files/resources/<int:pk>/", views.resource_download, name="resource"),
    path("preview/lessons/<int:lesson_id>/", views.preview_lesson, name="preview_lesson"),
    path("preview/activities/<int:activity_id>/", views.preview_activity, name="preview_activity"),
    path("<slug:course_slug>/", views.course_detail, name="course"),
    path("<slug:course_slug>/<slug:module_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson"),
]
