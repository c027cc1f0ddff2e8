"""Mein Konto: the citizen's own page."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.forms import AccountDeleteForm, ProfileForm
from accounts.registry import sections_for
from accounts.services import (
    AccountDeletionBlocked,
    account_delete,
    account_export,
    profile_ensure,
    profile_update,
)


@login_required
def my_account(request):
    profile = profile_ensure(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            profile_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Ihre Angaben sind gespeichert."))
            return redirect("accounts:my_account")
    else:
        form = ProfileForm(
            initial={"display_name": profile.display_name, "preferred_language": profile.preferred_language}
        )
    return render(
        request,
        "accounts/my_account.html",
        {"form": form, "profile": profile, "sections": sections_for(user=request.user)},
    )


@login_required
@require_GET
def my_data(request):
    """Download everything we hold about the citizen (GDPR Art. 15 and 20)."""
    document = json.dumps(account_export(user=request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    filename = f"norderstedt-go-meine-daten-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def delete_account(request):
    """Delete the account after the citizen confirms (GDPR Art. 17)."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            account_delete(user=user)
        except AccountDeletionBlocked as error:
            messages.error(request, str(error))
            return redirect("accounts:delete_account")
        logout(request)
        messages.success(request, _("Ihr Konto und Ihre Daten sind gelöscht."))
        return redirect("/")
    return render(request, "accounts/delete_account.html", {"form": form})
