from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from micro.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/login/verify/", views.sign_in_verify, name="login_verify"),
    path("accounts/logout/", views.sign_out, name="logout"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/members/", views.member_list, name="member_list"),
    path("organisations/<slug:slug>/members/invite/", views.member_invite, name="member_invite"),
    path("organisations/<slug:slug>/members/<int:pk>/", views.member_edit, name="member_edit"),
    path("organisations/<slug:slug>/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
