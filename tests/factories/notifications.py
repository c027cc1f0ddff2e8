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
