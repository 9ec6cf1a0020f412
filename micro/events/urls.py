from django.urls import path

from micro.events.views import checkin, organiser, public, registrants

app_name = "events"
urlpatterns = [
    path("", public.event_list, name="list"),
    path("manage/", organiser.manage_list, name="manage_list"),
    path("manage/new/", organiser.manage_new, name="manage_new"),
    path("r/<str:token>/", public.registration_detail, name="registration"),
    path("r/<str:token>/change/", public.registration_edit, name="registration_edit"),
    path("r/<str:token>/cancel/", public.registration_cancel, name="registration_cancel"),
    path("r/<str:token>/calendar.ics", public.registration_ics, name="registration_ics"),
    path("r/<str:token>/my-data.json", public.registration_data, name="registration_data"),
    path("r/<str:token>/erase/", public.registration_erase, name="registration_erase"),
    path("materials/<int:pk>/", public.material_download, name="material"),
    path("<slug:slug>/", public.event_detail, name="detail"),
    path("<slug:slug>/privacy/", public.event_privacy, name="privacy"),
    path("<slug:slug>/register/", public.register, name="register"),
    path("<slug:slug>/lost-link/", public.resend_link, name="resend_link"),
    path("<slug:slug>/manage/", organiser.manage_dashboard, name="manage"),
    path("<slug:slug>/manage/edit/", organiser.manage_edit, name="manage_edit"),
    path("<slug:slug>/manage/texts/", organiser.manage_texts, name="manage_texts"),
    path("<slug:slug>/manage/programme/", organiser.manage_programme, name="manage_programme"),
    path("<slug:slug>/manage/sessions/<int:pk>/", organiser.manage_session, name="manage_session"),
    path("<slug:slug>/manage/speakers/<int:pk>/", organiser.manage_speaker, name="manage_speaker"),
    path("<slug:slug>/manage/questions/", organiser.manage_questions, name="manage_questions"),
    path("<slug:slug>/manage/results/", organiser.manage_results, name="manage_results"),
    path("<slug:slug>/manage/registrations/", registrants.manage_registrations, name="manage_registrations"),
    path("<slug:slug>/manage/registrations.csv", registrants.manage_export_csv, name="export_csv"),
    path("<slug:slug>/manage/registrations.xlsx", registrants.manage_export_xlsx, name="export_xlsx"),
    path("<slug:slug>/manage/participants/", registrants.manage_participants, name="participants"),
    path("<slug:slug>/manage/badges.pdf", registrants.manage_badges, name="badges"),
    path("<slug:slug>/check-in/", checkin.checkin, name="checkin"),
    path("<slug:slug>/check-in/list/", checkin.checkin_list, name="checkin_list"),
]
