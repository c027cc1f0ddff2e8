"""Wagtail admin: the campaign report ("Versände")."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from notifications.models import Campaign
from notifications.selectors import campaigns_for_report, sends_per_day, subscribers_per_topic

REPORT_PERMISSION = "notifications.view_campaign"


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied


def campaign_report(request: HttpRequest) -> HttpResponse:
    _check(request)
    campaigns = list(campaigns_for_report())
    return render(
        request,
        "notifications/admin/campaign_report.html",
        {
            "campaigns": campaigns,
            "sending": any(campaign.status == Campaign.Status.SENDING for campaign in campaigns),
            "topics": subscribers_per_topic(),
            "days": sends_per_day(),
        },
    )


def campaign_progress(request: HttpRequest) -> JsonResponse:
    """Live progress for the report's script: figures of the campaigns still sending."""
    _check(request)
    rows = Campaign.objects.exclude(status=Campaign.Status.DONE).values(
        "pk", "status", "targeted", "sent", "failed", "deactivated", "skipped"
    )
    return JsonResponse({"campaigns": list(rows)})
