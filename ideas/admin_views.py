"""Views in the Wagtail admin: moderation, staff entry, rounds, blind scoring, decisions, export.

Access: Wagtail wraps these in its admin-access check. Moderation needs
``ideas.moderate_idea``; creating rounds needs ``ideas.manage_evaluation``; a
round is visible only to its group's members and to moderators
(``rounds_visible_to``), so an ambassador sees nothing but their own group's
evaluations.
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ideas.forms import DecisionForm, MergeForm, RecusalForm, RejectForm, RoundForm, ScorecardForm, StaffIdeaForm
from ideas.models import Assignment, Idea, IdeaStatus, ProjectIndexPage, Scorecard
from ideas.selectors.evaluation import (
    aggregate_rows,
    assignment_aggregate,
    audit_log,
    can_manage,
    criteria_of,
    is_member,
    own_scorecard,
    round_export_rows,
    round_for_user,
    round_overview,
    rounds_visible_to,
    scores_visible,
)
from ideas.selectors.public import ideas_similar
from ideas.services.evaluation import (
    can_decide,
    decision_record,
    recusal_declare,
    round_create,
    scorecard_reopen,
    scorecard_save,
)
from ideas.services.projects import idea_promote_to_project
from ideas.services.submission import idea_merge, idea_publish, idea_reject_in_moderation, idea_submit


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def moderation_queue(request: HttpRequest) -> HttpResponse:
    _require(request, "ideas.moderate_idea")
    ideas = list(Idea.objects.filter(status=IdeaStatus.SUBMITTED).select_related("topic").order_by("created_at"))
    rows = [
        {
            "idea": idea,
            "similar": ideas_similar(title=idea.title, exclude_pk=idea.pk),
            "reject_form": RejectForm(prefix=f"reject-{idea.pk}"),
            "merge_form": MergeForm(source=idea, prefix=f"merge-{idea.pk}"),
        }
        for idea in ideas
    ]
    return TemplateResponse(request, "ideas/admin/moderation.html", {"rows": rows, "page_title": _("Ideen moderieren")})


@require_POST
def moderation_act(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "ideas.moderate_idea")
    idea = get_object_or_404(Idea, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "veroeffentlichen":
            idea_publish(idea=idea, actor=request.user)
            messages.success(request, _("„%(title)s“ ist jetzt öffentlich.") % {"title": idea.title})
        elif action == "ablehnen":
            form = RejectForm(request.POST, prefix=f"reject-{idea.pk}")
            reason = form.data.get(f"reject-{idea.pk}-reason", "")
            idea_reject_in_moderation(idea=idea, actor=request.user, reason=reason)
            messages.success(request, _("„%(title)s“ wird nicht veröffentlicht.") % {"title": idea.title})
        elif action == "zusammenfuehren":
            form = MergeForm(request.POST, source=idea, prefix=f"merge-{idea.pk}")
            if not form.is_valid():
                raise ValidationError(_("Bitte wählen Sie die Idee, mit der zusammengeführt wird."))
            idea_merge(source=idea, target=form.cleaned_data["target"], actor=request.user)
            messages.success(request, _("Die Ideen sind zusammengeführt."))
        else:
            raise ValidationError(_("Unbekannte Aktion."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("ideas_admin:moderation")


def idea_enter(request: HttpRequest) -> HttpResponse:
    """Staff enter a postcard, a call or workshop notes; the source is recorded."""
    _require(request, "ideas.moderate_idea")
    form = StaffIdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea_submit(
                author=data["author_email"],
                title=data["title"],
                description=data["description"],
                need=data["need"],
                topic=data["topic"],
                district=data["district"],
                image=data["image"],
                image_alt=data["image_alt"],
                source=data["source"],
                entered_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Idee ist erfasst und wartet auf die Moderation."))
            return redirect("ideas_admin:moderation")
    return TemplateResponse(request, "ideas/admin/form.html", {"form": form, "page_title": _("Idee erfassen")})


def rounds_index(request: HttpRequest) -> HttpResponse:
    rounds = rounds_visible_to(user=request.user)
    return TemplateResponse(
        request,
        "ideas/admin/rounds.html",
        {"rounds": rounds, "can_manage": can_manage(request.user), "page_title": _("Bewertungsrunden")},
    )


def round_new(request: HttpRequest) -> HttpResponse:
    _require(request, "ideas.manage_evaluation")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation_round = round_create(
                group=data["group"],
                title=data["title"],
                deadline=data["deadline"],
                ideas=data["ideas"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Runde ist eröffnet."))
            return redirect("ideas_admin:round", pk=evaluation_round.pk)
    return TemplateResponse(request, "ideas/admin/form.html", {"form": form, "page_title": _("Neue Bewertungsrunde")})


def _visible_round(request: HttpRequest, pk: int):
    evaluation_round = round_for_user(pk=pk, user=request.user)
    if evaluation_round is None:
        raise Http404
    return evaluation_round


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation_round = _visible_round(request, pk)
    context = round_overview(evaluation_round=evaluation_round, user=request.user)
    leading = can_decide(evaluation_round=evaluation_round, user=request.user)
    deciding = evaluation_round.is_closed and leading
    context.update(
        {
            "can_reopen": leading and not evaluation_round.is_closed,
            "page_title": evaluation_round.title,
            "can_decide": deciding,
            "decision_form": DecisionForm() if deciding else None,
            "audit": audit_log(evaluation_round=evaluation_round) if deciding else None,
            "project_index": ProjectIndexPage.objects.filter(locale__language_code="de").first(),
        }
    )
    return TemplateResponse(request, "ideas/admin/round.html", context)


def assignment_score(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's own Bewertungsbogen; the others' scores appear only once theirs is handed in."""
    assignment = get_object_or_404(Assignment.objects.select_related("round", "idea", "idea__topic"), pk=pk)
    evaluation_round = _visible_round(request, assignment.round_id)
    criteria = criteria_of(evaluation_round=evaluation_round)
    own = own_scorecard(assignment=assignment, user=request.user)
    form = ScorecardForm(request.POST or None, criteria=criteria, initial_values=own["values"])
    if request.method == "POST" and form.is_valid():
        try:
            scorecard_save(assignment=assignment, member=request.user, values=form.values(), submit=True)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Ihre Bewertung ist abgegeben."))
            return redirect("ideas_admin:score", pk=assignment.pk)
    visible = scores_visible(assignment=assignment, user=request.user)
    result = assignment_aggregate(assignment=assignment, criteria=criteria) if visible else None
    context = {
        "own_rows": [(criterion.name, own["values"].get(criterion.pk)) for criterion in criteria],
        "assignment": assignment,
        "round": evaluation_round,
        "form": form,
        "own": own,
        "visible": visible,
        "result": result,
        "rows": aggregate_rows(result, criteria) if result else [],
        "recusal_form": RecusalForm(),
        "is_member": is_member(evaluation_round=evaluation_round, user=request.user),
        "page_title": _("Bewerten: %(title)s") % {"title": assignment.idea.title},
    }
    return TemplateResponse(request, "ideas/admin/score.html", context)


@require_POST
def assignment_recuse(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment, pk=pk)
    _visible_round(request, assignment.round_id)
    try:
        recusal_declare(assignment=assignment, member=request.user, reason=request.POST.get("reason", "")[:250])
        messages.success(request, _("Ihre Befangenheit ist vermerkt. Ihre Bewertung zählt bei dieser Idee nicht."))
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("ideas_admin:score", pk=assignment.pk)


@require_POST
def scorecard_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's lead gives a handed-in card back to its member, with a reason for the log."""
    scorecard = get_object_or_404(Scorecard.objects.select_related("assignment"), pk=pk)
    _visible_round(request, scorecard.assignment.round_id)
    try:
        scorecard_reopen(scorecard=scorecard, reason=request.POST.get("reason", "")[:250], actor=request.user)
        messages.success(request, _("Der Bewertungsbogen ist wieder offen. Das Mitglied kann ihn neu abgeben."))
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("ideas_admin:round", pk=scorecard.assignment.round_id)


@require_POST
def assignment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment, pk=pk)
    _visible_round(request, assignment.round_id)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Bitte wählen Sie eine Entscheidung und schreiben Sie eine Begründung."))
        decision_record(
            assignment=assignment,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        messages.success(request, _("Die Entscheidung ist gespeichert und veröffentlicht."))
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("ideas_admin:round", pk=assignment.round_id)


@require_POST
def assignment_promote(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "ideas.manage_evaluation")
    assignment = get_object_or_404(Assignment.objects.select_related("idea"), pk=pk)
    index = ProjectIndexPage.objects.filter(locale__language_code="de").first()
    if index is None:
        messages.error(request, _("Legen Sie zuerst die Seite „Projekte“ an."))
        return redirect("ideas_admin:round", pk=assignment.round_id)
    try:
        project = idea_promote_to_project(idea=assignment.idea, index=index, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("ideas_admin:round", pk=assignment.round_id)
    messages.success(request, _("Die Projektseite ist angelegt. Ergänzen Sie Inhalt und Meilensteine."))
    return redirect(reverse("wagtailadmin_pages:edit", args=[project.pk]))


def round_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The round's results for the minutes, once it is closed."""
    evaluation_round = _visible_round(request, pk)
    if not evaluation_round.is_closed or not can_decide(evaluation_round=evaluation_round, user=request.user):
        raise PermissionDenied
    header, rows = round_export_rows(evaluation_round=evaluation_round)
    filename = f"bewertungsrunde-{evaluation_round.pk}"
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ergebnisse"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
