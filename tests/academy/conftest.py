import pytest

from tests.factories.academy import academy_index_create


@pytest.fixture
def academy(home):
    return academy_index_create(parent=home)
