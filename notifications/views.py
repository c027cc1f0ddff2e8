"""The "Benachrichtigungen" page, the browser's device endpoints and the service worker.

The browser's device key lives in an HttpOnly cookie; the page's script never
sees it. Topics and email choices work without JavaScript; only switching push
on needs it, because the browser's Push API is JavaScript.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications.forms import PreferencesForm
from notifications.models import Platform
from notifications.selectors import preferences_for, topics_for_locale
from notifications.serializers import WebPushSubscriptionSerializer
from notifications.services import preferences_save, subscription_register, subscription_unregister
from notifications.services.subscriptions import PlatformNotConfigured, subscription_by_key
from notifications.signals import DEVICE_COOKIE

COOKIE_MAX_AGE = 400 * 24 * 60 * 60
SESSION_TOPICS = "notifications_topics"


def _device(request: HttpRequest):
    return subscription_by_key(key=request.COOKIES.get(DEVICE_COOKIE, ""))


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    subscription = _device(request)
    slugs = [topic.slug for topic in topics_for_locale()]
    form = PreferencesForm(request.POST or None, topic_slugs=slugs, email_enabled=request.user.is_authenticated)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_TOPICS] = form.cleaned_data["topics"]
        preferences_save(
            subscription=subscription,
            user=request.user,
            topic_slugs=form.cleaned_data["topics"],
            email_modes=form.email_modes(),
            quiet_start=form.cleaned_data["quiet_start"],
            quiet_end=form.cleaned_data["quiet_end"],
        )
        messages.success(request, _("Ihre Auswahl ist gespeichert."))
        return redirect("notifications:preferences")
    context = preferences_for(
        subscription=subscription, user=request.user, session_topics=request.session.get(SESSION_TOPICS, [])
    )
    context.update(form=form, vapid_public_key=settings.VAPID_PUBLIC_KEY)
    return render(request, "notifications/preferences.html", context)


@require_POST
def device_register(request: HttpRequest) -> JsonResponse:
    """The page's script posts the browser's PushSubscription here after ``subscribe()``."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = {}
    serializer = WebPushSubscriptionSerializer(data=data.get("subscription") or {})
    if not serializer.is_valid():
        return JsonResponse({"errors": serializer.errors}, status=400)
    topics = [slug for slug in data.get("topics", []) if isinstance(slug, str)]
    previous = _device(request)
    try:
        with transaction.atomic():  # a refused registration keeps the previous one
            if previous is not None:
                subscription_unregister(subscription=previous)
            _subscription, key = subscription_register(
                platform=Platform.WEB,
                token=serializer.validated_data["endpoint"],
                p256dh=serializer.validated_data["keys"]["p256dh"],
                auth=serializer.validated_data["keys"]["auth"],
                browser=str(data.get("browser", ""))[:10],
                language=(get_language() or settings.LANGUAGE_CODE),
                topic_slugs=topics or request.session.get(SESSION_TOPICS, []),
                user=request.user,
            )
    except PlatformNotConfigured as error:
        return JsonResponse({"errors": {"platform": [str(error)]}}, status=422)
    response = JsonResponse({"active": True, "message": _("Benachrichtigungen in diesem Browser sind an.")})
    response.set_cookie(
        DEVICE_COOKIE,
        key,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@require_POST
def device_unregister(request: HttpRequest) -> HttpResponse:
    subscription = _device(request)
    if subscription is not None:
        subscription_unregister(subscription=subscription)
    message = _("Benachrichtigungen in diesem Browser sind aus.")
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse({"active": False, "message": message})
    else:
        messages.success(request, message)
        response = redirect("notifications:preferences")
    response.delete_cookie(DEVICE_COOKIE, samesite="Lax")
    return response


@require_GET
@cache_control(max_age=0, no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js`` at the site root, so its scope is the whole site."""
    response = HttpResponse(
        render_to_string("notifications/sw.js"), content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@csrf_exempt
@require_POST
def demo_push_receiver(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    """A stand-in push service for the demo devices (``notifications.demo``), development only."""
    if not settings.DEBUG:
        raise Http404
    return HttpResponse(status=201)
