from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from home.sitemaps import SITEMAPS
from notifications import views as notifications_views

handler400 = "cms.api.errors.bad_request"
handler404 = "cms.api.errors.not_found"
handler500 = "cms.errors.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("cms.api.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}),
    path("robots.txt", home_views.robots_txt),
    path("sw.js", notifications_views.service_worker, name="service_worker"),
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("suche/", home_views.search, name="search"),
    path("feeds/", include("news.urls")),
    path("konto/", include("allauth.urls")),
    path("mein-konto/", include("accounts.urls")),
    path("benachrichtigungen/", include("notifications.urls")),
    path("verleih/", include("rentals.urls")),
    path("schliessfach/", include("locker_bridge.urls")),
    path("akademie/", include("academy.urls")),
    path("ideen/", include("ideas.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
