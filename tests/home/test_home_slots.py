"""The home page shows what other apps offer today."""

import pytest
import time_machine

from tests.factories.rentals import ItemFactory, ItemTypeFactory
from tests.rentals.conftest import NOW


@pytest.mark.django_db
def test_home_page_lists_items_bookable_today_and_links_to_rentals(client, home):
    with time_machine.travel(NOW, tick=False):
        item_type = ItemTypeFactory(name="Rollator")
        ItemFactory(item_type=item_type)
        html = client.get("/de/").content.decode()
    assert "Heute im Stadtpark ausleihbar" in html
    assert "Rollator" in html
    assert 'href="/de/verleih/"' in html


@pytest.mark.django_db
def test_home_page_without_rentals_shows_no_empty_rentals_section(client, home):
    assert "Heute im Stadtpark ausleihbar" not in client.get("/de/").content.decode()
