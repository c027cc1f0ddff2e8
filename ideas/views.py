"""Public views of the Ideenspeicher. They parse input, call one service or selector, and render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ideas.forms import IdeaForm
from ideas.models import EvaluationRound, IdeaIndexPage, IdeaStatus
from ideas.selectors.evaluation import round_overview
from ideas.selectors.public import (
    idea_for_viewer,
    idea_project,
    idea_timeline,
    ideas_of_author,
    ideas_similar,
    viewer_relation,
)
from ideas.services.submission import idea_follow, idea_submit, idea_support, idea_support_withdraw, idea_unfollow


def account_section_context(*, user: AbstractBaseUser) -> dict[str, Any]:
    return {"ideas": ideas_of_author(user=user)}


def _index_page():
    from wagtail.models import Locale

    return (
        IdeaIndexPage.objects.live().filter(locale=Locale.get_active()).first() or IdeaIndexPage.objects.live().first()
    )


@login_required
def idea_submit_view(request: HttpRequest) -> HttpResponse:
    form = IdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = idea_submit(
                author=request.user,
                title=data["title"],
                description=data["description"],
                need=data["need"],
                topic=data["topic"],
                district=data["district"],
                image=data["image"],
                image_alt=data["image_alt"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Danke für Ihre Idee! Wir prüfen sie und veröffentlichen sie dann. Sie erhalten eine Nachricht."),
            )
            return redirect(idea.get_absolute_url())
    return render(request, "ideas/idea_form.html", {"form": form, "index_page": _index_page()})


def idea_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    idea = idea_for_viewer(pk=pk, user=request.user)
    if idea is None:
        raise Http404
    if idea.status == IdeaStatus.MERGED and idea.merged_into_id:
        return redirect(idea.merged_into.get_absolute_url(), permanent=True)
    context = {
        "idea": idea,
        "timeline": idea_timeline(idea=idea),
        "project": idea_project(idea=idea),
        "relation": viewer_relation(idea=idea, user=request.user),
        "index_page": _index_page(),
    }
    return render(request, "ideas/idea_detail.html", context)


@require_POST
@login_required
def idea_support_view(request: HttpRequest, pk: int) -> HttpResponse:
    idea = idea_for_viewer(pk=pk, user=request.user)
    if idea is None or not idea.is_public:
        raise Http404
    if request.POST.get("action") == "zurueckziehen":
        idea_support_withdraw(idea=idea, user=request.user)
        messages.success(request, _("Sie unterstützen diese Idee nicht mehr."))
    else:
        idea_support(idea=idea, user=request.user)
        messages.success(request, _("Danke! Sie unterstützen diese Idee."))
    return redirect(idea.get_absolute_url())


@require_POST
@login_required
def idea_follow_view(request: HttpRequest, pk: int) -> HttpResponse:
    idea = idea_for_viewer(pk=pk, user=request.user)
    if idea is None or not idea.is_public:
        raise Http404
    if request.POST.get("action") == "entfolgen":
        idea_unfollow(idea=idea, user=request.user)
        messages.success(request, _("Sie erhalten keine Nachrichten mehr zu dieser Idee."))
    else:
        idea_follow(idea=idea, user=request.user)
        messages.success(request, _("Sie erhalten eine Nachricht, wenn sich der Status ändert."))
    return redirect(idea.get_absolute_url())


@require_GET
def ideas_similar_view(request: HttpRequest) -> JsonResponse:
    """A hint while typing a title. Answers quickly and never blocks the submission."""
    ideas = ideas_similar(title=request.GET.get("titel", ""))
    return JsonResponse(
        {"results": [{"id": idea.pk, "title": idea.title, "url": idea.get_absolute_url()} for idea in ideas]}
    )


def round_matrix_public_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The matrix of a closed round, when the town chose to publish it."""
    evaluation_round = EvaluationRound.objects.select_related("group").filter(pk=pk, show_matrix_publicly=True).first()
    if evaluation_round is None or not evaluation_round.is_closed:
        raise Http404
    overview = round_overview(evaluation_round=evaluation_round, user=request.user)
    return render(request, "ideas/round_matrix.html", {**overview, "index_page": _index_page()})
