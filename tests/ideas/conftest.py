import pytest

from ideas.services.evaluation import IDEA_MODERATORS, ideas_staff_groups_ensure
from tests.factories.ideas import UserFactory
from tests.factories.notifications import TopicFactory


@pytest.fixture
def idea_groups(db):
    return ideas_staff_groups_ensure()


@pytest.fixture
def topic(locales):
    return TopicFactory(slug="stadtpark", name="Stadtpark")


@pytest.fixture
def citizen(db):
    return UserFactory(username="berta")


@pytest.fixture
def moderator(idea_groups):
    user = UserFactory(username="moderation")
    user.groups.add(idea_groups[IDEA_MODERATORS])
    return user


@pytest.fixture
def idea_index(home):
    from ideas.models import IdeaIndexPage

    index = home.add_child(instance=IdeaIndexPage(title="Ideenspeicher", slug="ideenspeicher", locale=home.locale))
    index.save_revision().publish()
    return index
