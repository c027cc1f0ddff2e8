"""Mein Konto: the citizen's own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from accounts.registry import sections_for
from accounts.services import profile_ensure, profile_update


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
