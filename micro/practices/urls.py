from django.urls import path

from micro.practices import views
from micro.practices.feeds import LatestPracticesFeed

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("feed/", LatestPracticesFeed(), name="feed"),
    path("export.csv", views.practice_export_csv, name="export_csv"),
    path("mine/", views.workspace, name="workspace"),
    path("new/", views.practice_create, name="create"),
    path("board/", views.board, name="board"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("manage/<int:pk>/", views.practice_edit, name="edit"),
    path("manage/<int:pk>/translations/<str:language>/", views.practice_translate, name="translate"),
    path("manage/<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path("manage/<int:pk>/indicators/<int:indicator_id>/delete/", views.indicator_delete, name="indicator_delete"),
    path("manage/<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path("manage/<int:pk>/files/<int:attachment_id>/delete/", views.attachment_delete, name="attachment_delete"),
    path("manage/<int:pk>/submit/", views.practice_submit, name="submit"),
    path("manage/<int:pk>/start-review/", views.review_start, name="review_start"),
    path("manage/<int:pk>/review/", views.review, name="review"),
    path("manage/<int:pk>/reviewers/", views.reviewers, name="reviewers"),
    path("manage/<int:pk>/reviewers/<int:assignment_id>/remove/", views.reviewer_remove, name="reviewer_remove"),
    path("reuse/<int:pk>/", views.reuse_edit, name="reuse_edit"),
    path("<slug:slug>/adopted/", views.reuse_record, name="reuse_record"),
    path("<slug:slug>/", views.practice_detail, name="detail"),
]
