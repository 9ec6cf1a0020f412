"""The expected answer of every named URL for every role, on the own and on another organisation's objects.

Columns (in ``ROLES`` order): anonymous, operator, trainer, partner_admin, coordinator, migrant
(a visitor without account whose browser session holds a journey). All roles except anonymous and
migrant work in organisation A; "own" asks for A's objects (the migrant's own journey), "other"
for organisation B's. A cell is one answer for both, or ``own/other`` when they differ:

    200  the page (or file)             L    302 to the sign-in page
    403  refused                        R    another redirect (e.g. after a finished attempt)
    404  hidden or absent               405  the method (GET) is not allowed: a POST-only action

Every URL pattern of ``config/urls.py`` (walked from the resolver) needs a row, so a new URL
without a row fails ``test_every_url_has_an_entry``. Admin URLs follow ``ADMIN_RULE`` instead.
"""

from __future__ import annotations

# Admin (Django's own views): anonymous and staff-less people are sent to the admin sign-in;
# the coordinator (superuser in the demo and here) gets the page or a redirect, never an error.
ADMIN_RULE = {"anonymous": "L", "operator": "L", "trainer": "L", "partner_admin": "L", "migrant": "L"}

# The admin's own sign-in page answers everyone; its sign-out redirects everyone.
ADMIN_OVERRIDES = {"admin:login": "200", "admin:logout": "R"}
# django-otp's device set-up views (secret key and QR code) are closed to the admin by
# OTP_ADMIN_HIDE_SENSITIVE_DATA: the coordinator gets 403 there, never the secret and never an error.
ADMIN_SECRET_VIEWS = frozenset({"admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"})

# Columns: anonymous operator trainer partner_admin coordinator migrant ("own/other" where they differ).
# Learning certificate, discussion and xAPI rows ask for real objects (tests/resilience/world.py): on
# each side the operator is enrolled in the organisation's cohort, has opened a thread with a post on
# a lesson of it, and holds the certificate issued for the course in that cohort.
# * Certificate verification page, signed credential and the achievement page of the cohort's course:
#   public by design (anyone with the link; the credential names the holder and the cohort).
#   ``certificate_achievement`` (the course without a cohort) stays 404: no such certificate exists,
#   and the page answers only for achievements a credential points to.
# * Certificate PDF: the holder, those who may review them (a trainer of the holder's organisation or
#   of their cohort) and coordinators. Revocation: coordinators only.
# * Discussion thread: the cohort's members (enrolled learners, trainers) and coordinators; others 404.
MATRIX: dict[str, str] = {
    "accounts:invitation_accept": "200 200 200 200 200 200",
    "accounts:invitation_revoke": "L 405 405 405 405 L",
    "accounts:login": "200 200 200 200 200 200",
    "accounts:login_verify": "L L L L L L",
    "accounts:logout": "405 405 405 405 405 405",
    "accounts:member_edit": "L 404 404 200/404 200 L",
    "accounts:member_invite": "L 404 404 200/404 200 L",
    "accounts:member_list": "L 404 404 200/404 200 L",
    "accounts:organisation_list": "L 200 200 200 200 L",
    "accounts:password_reset": "200 200 200 200 200 200",
    "accounts:password_reset_complete": "200 200 200 200 200 200",
    "accounts:password_reset_confirm": "200 200 200 200 200 200",
    "accounts:password_reset_done": "200 200 200 200 200 200",
    "accounts:profile": "L 200 200 200 200 L",
    "accounts:two_factor": "L 200 200 200 200 L",
    "api:api-root": "404 404 404 404 404 404",
    "api:break_even_point": "422 422 422 422 422 422",
    "api:code_lists": "200 200 200 200 200 200",
    "api:event_detail": "200 200 200 200 200 200",
    "api:event_list": "200 200 200 200 200 200",
    "api:loan": "422 422 422 422 422 422",
    "api:meta": "200 200 200 200 200 200",
    "api:openapi-json": "200 200 200 200 200 200",
    "api:openapi-view": "200 200 200 200 200 200",
    "api:practice_detail": "200 200 200 200 200 200",
    "api:practice_list": "200 200 200 200 200 200",
    "core:about": "200 200 200 200 200 200",
    "core:home": "200 200 200 200 200 200",
    "events:badges": "L 404 404 200/404 200/404 L",
    "events:checkin": "L 404 404 200/404 200/404 L",
    "events:checkin_list": "L 404 404 200/404 200/404 L",
    "events:detail": "200 200 200 200 200 200",
    "events:export_csv": "L 404 404 200/404 200/404 L",
    "events:export_xlsx": "L 404 404 200/404 200/404 L",
    "events:list": "200 200 200 200 200 200",
    "events:manage": "L 404 404 200/404 200/404 L",
    "events:manage_edit": "L 404 404 200/404 200/404 L",
    "events:manage_list": "L 404 404 200 200 L",
    "events:manage_new": "L 403 403 200 200 L",
    "events:manage_programme": "L 404 404 200/404 200/404 L",
    "events:manage_questions": "L 404 404 200/404 200/404 L",
    "events:manage_registrations": "L 404 404 200/404 200/404 L",
    "events:manage_results": "L 404 404 200/404 200/404 L",
    "events:manage_session": "L 404 404 404 404 L",
    "events:manage_speaker": "L 404 404 404 404 L",
    "events:manage_texts": "L 404 404 200/404 200/404 L",
    "events:material": "404 404 404 404 404 404",
    "events:participants": "L 404 404 200/404 200/404 L",
    "events:privacy": "200 200 200 200 200 200",
    "events:register": "200 200 200 200 200 200",
    "events:registration": "200 200 200 200 200 200",
    "events:registration_cancel": "200 200 200 200 200 200",
    "events:registration_data": "200 200 200 200 200 200",
    "events:registration_edit": "200 200 200 200 200 200",
    "events:registration_erase": "200 200 200 200 200 200",
    "events:registration_ics": "200 200 200 200 200 200",
    "events:resend_link": "200 200 200 200 200 200",
    "healthz": "200 200 200 200 200 200",
    "learning:activity": "L 200 200 200 200 L",
    "learning:attempt": "L 200/404 404 404 404 L",
    "learning:attempt_result": "L R/404 404 404 404 L",
    "learning:attendance": "L 404 200/404 404 200 L",
    "learning:certificate_achievement": "404 404 404 404 404 404",
    "learning:certificate_achievement_cohort": "200 200 200 200 200 200",
    "learning:certificate_check": "200 200 200 200 200 200",
    "learning:certificate_claim": "405 405 405 405 405 405",
    "learning:certificate_competences": "200 200 200 200 200 200",
    "learning:certificate_credential": "200 200 200 200 200 200",
    "learning:certificate_pdf": "L 200/404 200/404 404 200 L",
    "learning:certificate_revocations": "200 200 200 200 200 200",
    "learning:certificate_revoke": "L 404 404 404 200 L",
    "learning:certificate_verify": "200 200 200 200 200 200",
    "learning:cohort": "L 200/404 200/404 404 200 L",
    "learning:cohort_dashboard": "L 404 200/404 404 200 L",
    "learning:cohort_dashboard_csv": "L 404 200/404 404 200 L",
    "learning:cohorts": "L 200 200 200 200 L",
    "learning:course": "L 200 200 200 200 L",
    "learning:courses": "L 200 200 200 200 L",
    "learning:discussion_hide": "405 405 405 405 405 405",
    "learning:discussion_list": "L 200/404 200/404 404 200 L",
    "learning:discussion_lock": "405 405 405 405 405 405",
    "learning:discussion_thread": "L 200/404 200/404 404 200 L",
    "learning:issuer_key": "200 200 200 200 200 200",
    "learning:issuer_profile": "200 200 200 200 200 200",
    "learning:item_analysis_csv": "L 404 200/404 404 200 L",
    "learning:lesson": "L 200 200 200 200 L",
    "learning:lesson_image": "L 404 404 404 404 L",
    "learning:preview_activity": "L 404 404 404 200 L",
    "learning:preview_lesson": "L 404 404 404 200 L",
    "learning:progress": "L 200 200 200 200 L",
    "learning:quiz_start": "405 405 405 405 405 405",
    "learning:resource": "L 404 404 404 404 L",
    "learning:review": "L 404 404 404 404 L",
    "learning:reviews": "L 403 200 403 200 L",
    "learning:scenario_run": "L 404 404 404 404 L",
    "learning:scenario_start": "405 405 405 405 405 405",
    "learning:self_assessment": "L 404 404 404 404 L",
    "learning:submission_file": "L 404 404 404 404 L",
    "learning:survey": "L 200/404 404 404 404 L",
    "learning:xapi_export": "L 404 200/404 404 200 L",
    "pathway:glossary": "200 200 200 200 200 200",
    "pathway:glossary_term": "200 200 200 200 200 200",
    "pathway:home": "200 200 200 200 200 200",
    "pathway:journey": "200 200 200 200 200 200",
    "pathway:journey_delete": "R R R R R 200",
    "pathway:journey_keep": "L 405 405 405 405 L",
    "pathway:journey_new_code": "405 405 405 405 405 405",
    "pathway:rules": "200 200 200 200 200 200",
    "pathway:share_withdraw": "405 405 405 405 405 405",
    "pathway:shared_detail": "L 200/404 404 404 404 L",
    "pathway:shared_list": "L 200 200 200 200 L",
    "pathway:stage": "200 200 200 200 200 200",
    "pathway:step": "200 200 200 200 200 200",
    "plans:budget": "200 200 200 200 200 200",
    "plans:builder": "200 200 200 200 200 200",
    "plans:loan": "200 200 200 200 200 200",
    "plans:pdf": "R R R R R 200",
    "plans:results": "200 200 200 200 200 200",
    "plans:sales": "200 200 200 200 200 200",
    "plans:sections": "200 200 200 200 200 200",
    "practices:attachment": "404 404 404 404 404 404",
    "practices:attachment_add": "L 405 405 405 405 L",
    "practices:attachment_delete": "L 405 405 405 405 L",
    "practices:board": "L 200 200 200 200 L",
    "practices:create": "L 403 403 200 200 L",
    "practices:detail": "200 200 200 200 200 200",
    "practices:edit": "L 403/404 403/404 200/404 200/404 L",
    "practices:export_csv": "200 200 200 200 200 200",
    "practices:feed": "200 200 200 200 200 200",
    "practices:indicator_add": "L 405 405 405 405 L",
    "practices:indicator_delete": "L 405 405 405 405 L",
    "practices:list": "200 200 200 200 200 200",
    "practices:reuse_edit": "L 404 404 404 404 L",
    "practices:reuse_record": "L 403 403 403/200 403/200 L",
    "practices:review": "L 403/404 403/404 403/404 403/404 L",
    "practices:review_start": "L 405 405 405 405 L",
    "practices:reviewer_remove": "L 405 405 405 405 L",
    "practices:reviewers": "L 403/404 403/404 403/404 403/404 L",
    "practices:submit": "L 405 405 405 405 L",
    "practices:translate": "L 403/404 403/404 200/404 200/404 L",
    "practices:workspace": "L 200 200 200 200 L",
    "set_language": "R R R R R R",
}

# POST-only actions (GET answers 405 above): the answer to an empty POST aimed at organisation B's
# object (the migrant: another journey's share), in the same columns, roles asked in that order.
# The coordinator may revoke any partner's invitation (as they may manage any partner's members), and
# moderates every cohort's discussion: the empty hide/lock form is sent back (R) and changes nothing.
POST_MATRIX: dict[str, str] = {
    "accounts:invitation_revoke": "L 404 404 404 R L",
    "accounts:logout": "R R R R R R",
    "learning:certificate_claim": "L R R R R L",
    "learning:discussion_hide": "L 404 404 404 R L",
    "learning:discussion_lock": "L 404 404 404 R L",
    "learning:quiz_start": "L R R R R L",
    "learning:scenario_start": "L 404 404 404 404 L",
    "pathway:journey_keep": "L R R R R L",
    "pathway:journey_new_code": "R R R R R R",
    "pathway:share_withdraw": "R R R R R R",
    "practices:attachment_add": "L 404 404 404 404 L",
    "practices:attachment_delete": "L 404 404 404 404 L",
    "practices:indicator_add": "L 404 404 404 404 L",
    "practices:indicator_delete": "L 404 404 404 404 L",
    "practices:review_start": "L 404 404 404 404 L",
    "practices:reviewer_remove": "L 404 404 404 404 L",
    "practices:submit": "L 404 404 404 404 L",
}
