"""URL map: technical endpoints and the API without prefix, every page under /<lang>/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from config.api import api
from micro.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", include("micro.core.urls")),
    path("", include("micro.accounts.urls")),
    path("learn/", include("micro.learning.urls")),
    path("start/plan/", include("micro.plans.urls")),
    path("practices/", include("micro.practices.urls")),
    path("events/", include("micro.events.urls")),
    path("", include("micro.pathway.urls")),
    prefix_default_language=True,
)
if settings.ADMIN_ENABLED:
    urlpatterns += i18n_patterns(path("admin/", admin.site.urls), prefix_default_language=True)

if settings.BENCH_CEILING_VIEW:
    urlpatterns += i18n_patterns(
        path("bench/ceiling/", core_views.bench_ceiling, name="bench_ceiling"), prefix_default_language=True
    )

handler403 = "micro.core.views.error_403"
handler404 = "micro.core.views.error_404"
handler500 = "micro.core.views.error_500"
