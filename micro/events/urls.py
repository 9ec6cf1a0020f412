from django.urls import path

from micro.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_new, name="manage_new"),
    path("r/<str:token>/", views.registration_detail, name="registration"),
    path("r/<str:token>/change/", views.registration_edit, name="registration_edit"),
    path("r/<str:token>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("r/<str:token>/calendar.ics", views.registration_ics, name="registration_ics"),
    path("r/<str:token>/my-data.json", views.registration_data, name="registration_data"),
    path("r/<str:token>/erase/", views.registration_erase, name="registration_erase"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/privacy/", views.event_privacy, name="privacy"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/lost-link/", views.resend_link, name="resend_link"),
    path("<slug:slug>/manage/", views.manage_dashboard, name="manage"),
    path("<slug:slug>/manage/edit/", views.manage_edit, name="manage_edit"),
    path("<slug:slug>/manage/texts/", views.manage_texts, name="manage_texts"),
    path("<slug:slug>/manage/programme/", views.manage_programme, name="manage_programme"),
    path("<slug:slug>/manage/sessions/<int:pk>/", views.manage_session, name="manage_session"),
    path("<slug:slug>/manage/speakers/<int:pk>/", views.manage_speaker, name="manage_speaker"),
    path("<slug:slug>/manage/questions/", views.manage_questions, name="manage_questions"),
    path("<slug:slug>/manage/results/", views.manage_results, name="manage_results"),
    path("<slug:slug>/manage/registrations/", views.manage_registrations, name="manage_registrations"),
    path("<slug:slug>/manage/registrations.csv", views.manage_export_csv, name="export_csv"),
    path("<slug:slug>/manage/registrations.xlsx", views.manage_export_xlsx, name="export_xlsx"),
    path("<slug:slug>/manage/participants/", views.manage_participants, name="participants"),
    path("<slug:slug>/manage/badges.pdf", views.manage_badges, name="badges"),
    path("<slug:slug>/check-in/", views.checkin, name="checkin"),
    path("<slug:slug>/check-in/list/", views.checkin_list, name="checkin_list"),
]
