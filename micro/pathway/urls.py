from django.urls import path

from micro.pathway import views

app_name = "pathway"
urlpatterns = [
    path("start/", views.path_home, name="home"),
    path("start/journey/", views.journey_detail, name="journey"),
    path("start/journey/new-code/", views.journey_new_code, name="journey_new_code"),
    path("start/journey/delete/", views.journey_delete, name="journey_delete"),
    path("start/journey/keep/", views.journey_keep, name="journey_keep"),
    path("start/journey/shares/<int:share_id>/withdraw/", views.share_withdraw, name="share_withdraw"),
    path("start/glossary/", views.glossary_list, name="glossary"),
    path("start/glossary/<slug:slug>/", views.glossary_term, name="glossary_term"),
    path("start/rules/<str:country>/", views.rules_list, name="rules"),
    path("start/<slug:stage_slug>/", views.stage_detail, name="stage"),
    path("start/<slug:stage_slug>/<slug:step_slug>/", views.step_detail, name="step"),
    path("shared/", views.shared_list, name="shared_list"),
    path("shared/<int:share_id>/", views.shared_detail, name="shared_detail"),
]
