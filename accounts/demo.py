"""Demo people: one per role. Staff sign in to /admin/ with a password; citizens by emailed code."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.crypto import get_random_string

from accounts.services import profile_ensure

PEOPLE = [
    # (email, first name, last name, groups, is_superuser, password in dev)
    ("admin@demo.norderstedt.de", "Ada", "Admin", [], True, "demo-admin-2026"),
    ("redaktion@demo.norderstedt.de", "Rita", "Redaktion", ["Redaktion"], False, "demo-redaktion-2026"),
    ("leitung@demo.norderstedt.de", "Lars", "Leitung", ["Redaktion", "Redaktionsleitung"], False, "demo-leitung-2026"),
    ("trainer@demo.norderstedt.de", "Tina", "Trainerin", ["Trainer"], False, "demo-trainer-2026"),
    ("verleih@demo.norderstedt.de", "Volker", "Verleih", ["Verleih"], False, "demo-verleih-2026"),
    ("buergerin@demo.norderstedt.de", "Berta", "Bürgerin", [], False, None),
]


def seed(*, reveal_passwords: bool) -> list[tuple[str, str]]:
    """Create the demo people; returns (email, how to sign in) for printing in dev."""
    user_model = get_user_model()
    sign_ins = []
    for email, first, last, groups, superuser, dev_password in PEOPLE:
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model(username=email.split("@")[0], email=email, first_name=first, last_name=last)
            staff = superuser or bool(groups)
            user.is_staff = staff
            user.is_superuser = superuser
            password = dev_password if reveal_passwords else get_random_string(32)
            if staff:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        user.groups.add(*Group.objects.filter(name__in=groups))
        profile_ensure(user=user)
        how = f"Passwort {dev_password}" if (groups or superuser) else "Anmeldecode per E-Mail (Konsole)"
        sign_ins.append((email, how))
    return sign_ins
