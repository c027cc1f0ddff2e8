"""Demo news: at least 8 items across 5 topics, some of them translated."""

import datetime

from django.utils import timezone

from wagtail.models import Locale, Page

from home.services import news_workflow_ensure, translation_save
from news.models import NewsIndexPage, NewsPage
from notifications.models import Topic

ITEMS = [
    (
        "Vollsperrung der Ulzburger Straße am Wochenende",
        "verkehr-baustellen",
        1,
        "Die Ulzburger Straße ist von Samstag bis Sonntag zwischen Rathausallee und Ochsenzoller Straße gesperrt.",
        "Full closure of Ulzburger Straße at the weekend",
        "Ulzburger Straße is closed from Saturday to Sunday between Rathausallee and Ochsenzoller Straße.",
    ),
    (
        "Rollatoren jetzt im Stadtpark ausleihen",
        "stadtpark",
        2,
        "Im Stadtpark stehen ab sofort Rollatoren und Bollerwagen in smarten Schließfächern bereit.",
        "Borrow walkers in the Stadtpark",
        "Walkers and handcarts now wait in smart lockers in the Stadtpark.",
    ),
    (
        "Neue Kurse: Smartphone für Einsteiger",
        "digitalakademie",
        3,
        "Die Digitalakademie bietet neue Kurse für Menschen, die das Smartphone gerade erst kennenlernen.",
        "New courses: smartphones for beginners",
        "The digital academy offers new courses for people who are just getting to know their smartphone.",
    ),
    (
        "Sommerfest im Stadtpark",
        "kultur-freizeit",
        5,
        "Musik, Spiele und Essen für die ganze Familie: Das Sommerfest findet am Samstag statt.",
        None,
        None,
    ),
    (
        "Bürgeramt: Termine jetzt auch online",
        "rathaus-service",
        6,
        "Termine beim Bürgeramt können Sie jetzt auch online buchen. Telefonisch geht es weiterhin.",
        "Citizens' office: book appointments online",
        "You can now book appointments at the citizens' office online. Phone booking continues.",
    ),
    (
        "Neue Bäume für die Rathausallee",
        "umwelt-klima",
        8,
        "Die Stadt pflanzt 40 neue Bäume entlang der Rathausallee.",
        None,
        None,
    ),
    (
        "Unwetterwarnung: Starkregen am Abend",
        "warnungen",
        9,
        "Der Deutsche Wetterdienst warnt vor Starkregen. Bitte sichern Sie lose Gegenstände.",
        "Severe weather warning: heavy rain tonight",
        "The German weather service warns of heavy rain. Please secure loose objects.",
    ),
    (
        "Baustelle am Herold-Center beendet",
        "verkehr-baustellen",
        11,
        "Die Bauarbeiten am Herold-Center sind abgeschlossen. Alle Fahrspuren sind wieder frei.",
        None,
        None,
    ),
    (
        "Lesung in der Stadtbücherei",
        "kultur-freizeit",
        12,
        "Eine Autorin aus Norderstedt liest aus ihrem neuen Roman. Der Eintritt ist frei.",
        None,
        None,
    ),
    (
        "Sprechstunde: Hilfe mit dem Smartphone",
        "digitalakademie",
        14,
        "Jeden Dienstag helfen Ehrenamtliche bei Fragen zu Smartphone und Tablet.",
        None,
        None,
    ),
]

# Leichte Sprache versions of the news a reader of Leichte Sprache needs most: title, teaser, body.
EASY_ITEMS = {
    "Rollatoren jetzt im Stadtpark ausleihen": (
        "Rollatoren im Stadt-Park ausleihen",
        "Im Stadt-Park können Sie jetzt Sachen ausleihen. Zum Beispiel einen Rollator. Oder einen Bollerwagen.",
        "Die Sachen sind in Schließ-Fächern. Sie reservieren eine Sache im Internet. Oder Sie rufen uns an.",
    ),
    "Unwetterwarnung: Starkregen am Abend": (
        "Wichtige Nachricht: Heute Abend kommt viel Regen",
        "Heute Abend regnet es sehr stark. Bitte räumen Sie lose Sachen weg. Zum Beispiel Stühle im Garten.",
        "Bleiben Sie bei starkem Regen im Haus. Sie brauchen Hilfe? Dann fragen Sie im Rathaus.",
    ),
}
MORE_INFO = " Weitere Informationen erhalten Sie im Rathaus."


def _body(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def seed(*, home: Page) -> NewsIndexPage:
    german = Locale.objects.get(language_code="de")
    english = Locale.objects.get(language_code="en")
    easy = Locale.objects.get(language_code="de-ls")
    index = NewsIndexPage.objects.filter(locale=german).first()
    if index is None:
        index = home.add_child(
            instance=NewsIndexPage(
                title="Nachrichten", slug="nachrichten", intro="Aktuelles aus Norderstedt.", locale=german
            )
        )
        index.save_revision().publish()
    news_workflow_ensure(news_index=index)
    translation_save(
        instance=index,
        locale=english,
        strings={"Nachrichten": "News", "Aktuelles aus Norderstedt.": "News from Norderstedt."},
    )
    translation_save(
        instance=index,
        locale=easy,
        strings={"Nachrichten": "Nachrichten", "Aktuelles aus Norderstedt.": "Hier lesen Sie Neues aus Norderstedt."},
    )
    today = timezone.localdate()
    for title, topic_slug, days_ago, teaser, title_en, teaser_en in ITEMS:
        page = NewsPage.objects.filter(locale=german, title=title).first()
        if page is None:
            page = NewsPage(
                title=title,
                teaser=teaser,
                date=today - datetime.timedelta(days=days_ago),
                body=_body(teaser + MORE_INFO),
                locale=german,
            )
            index.add_child(instance=page)
            page.topics.set([Topic.objects.get(slug=topic_slug, locale=german)])
            page.save_revision().publish()
        if title_en and page.get_translation_or_none(english) is None:
            translation_save(
                instance=page,
                locale=english,
                strings={
                    title: title_en,
                    teaser: teaser_en,
                    teaser + MORE_INFO: teaser_en + " You can find more information at the town hall.",
                },
            )
        if title in EASY_ITEMS and page.get_translation_or_none(easy) is None:
            title_easy, teaser_easy, body_easy = EASY_ITEMS[title]
            translation_save(
                instance=page,
                locale=easy,
                strings={title: title_easy, teaser: teaser_easy, teaser + MORE_INFO: f"{teaser_easy} {body_easy}"},
            )
    return index
