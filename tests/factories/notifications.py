import factory

from wagtail.models import Locale

from notifications.models import Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug", "locale")

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    description = "Ein Thema für Tests."
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="de"))


def web_subscription_create(*, service, topics=(), language: str = "de", user=None, quiet_hours: bool = False):
    """A browser subscription with real keys from the local push service.

    Quiet hours are off unless asked for, so tests that are not about them do not
    depend on the time of day.
    """
    from notifications.models import Platform
    from notifications.services import subscription_register

    browser = service.subscription_new()
    extra = {} if quiet_hours else {"quiet_start": None, "quiet_end": None}
    subscription, key = subscription_register(
        platform=Platform.WEB,
        token=browser["endpoint"],
        p256dh=browser["keys"]["p256dh"],
        auth=browser["keys"]["auth"],
        language=language,
        topic_slugs=[topic.slug for topic in topics],
        user=user,
        **extra,
    )
    subscription.device_key = key
    return subscription
