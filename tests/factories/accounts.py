import factory
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model


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
