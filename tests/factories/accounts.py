import re

import factory
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core import mail


class CitizenFactory(factory.django.DjangoModelFactory):
    """A citizen with a verified e-mail address and no password, as allauth creates them."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"buerger-{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_unusable_password")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )
            self.save()


SIGN_IN_CODE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)


def app_session_token(client, email: str) -> str:
    """Sign in like the town's app does, by allauth's headless code flow; the token goes in
    ``X-Session-Token``."""
    response = client.post("/_allauth/app/v1/auth/code/request", {"email": email}, content_type="application/json")
    assert response.status_code == 401, response.content  # pending: a code was sent
    token = response.json()["meta"]["session_token"]
    code = SIGN_IN_CODE.search(mail.outbox[-1].body).group(1)
    response = client.post(
        "/_allauth/app/v1/auth/code/confirm",
        {"code": code},
        content_type="application/json",
        headers={"x-session-token": token},
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]
