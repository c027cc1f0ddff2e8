"""Demo pages: the home page in three languages, legal pages and the BITV page."""

from wagtail.models import Locale

from home.models import AccessibilityStatementPage, FeedbackFormField, HomePage, StandardPage
from home.services import site_ensure, translation_save

HOME_INTRO = "Hier finden Sie Nachrichten, Kurse und Angebote der Stadt – einfach und barrierefrei."
HOME_INTRO_EN = "News, courses and services of the town of Norderstedt – simple and accessible."
HOME_INTRO_EASY = "Hier finden Sie Nachrichten aus Norderstedt. Sie können Kurse besuchen. Sie können Sachen ausleihen."

STANDARD_PAGES = [
    (
        "Impressum",
        "impressum",
        "Angaben gemäß § 5 DDG.",
        "<p>Stadt Norderstedt, Rathausallee 50, 22846 Norderstedt. Vertreten durch die Oberbürgermeisterin.</p>",
    ),
    (
        "Datenschutz",
        "datenschutz",
        "Wie wir mit Ihren Daten umgehen.",
        "<p>Wir speichern nur, was für den Dienst nötig ist. Push-Nachrichten enthalten keine persönlichen Daten. "
        "Sie können Ihre Daten unter „Mein Konto“ herunterladen und löschen.</p>",
    ),
]

STATEMENT = (
    "<p>Die Stadt Norderstedt ist bemüht, dieses Portal barrierefrei zugänglich zu machen. Rechtsgrundlage sind "
    "das Barrierefreiheitsstärkungsgesetz und die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0).</p>"
    "<h2>Stand der Vereinbarkeit</h2><p>Dieses Portal ist mit den Anforderungen der BITV 2.0 weitgehend "
    "vereinbar.</p><h2>Durchsetzungsverfahren</h2><p>Wenn Sie auf eine Mitteilung keine zufriedenstellende "
    "Antwort erhalten, können Sie sich an die Ombudsstelle für barrierefreie Informationstechnik wenden.</p>"
)


def _home(home: HomePage) -> HomePage:
    if not home.intro:
        home.intro = HOME_INTRO
        home.body = [
            {"type": "heading", "value": {"text": "Was Sie hier tun können", "level": "h2"}},
            {
                "type": "paragraph",
                "value": "<p>Lesen Sie Nachrichten. Melden Sie sich zu Kursen an. Leihen Sie einen "
                "Rollator oder Bollerwagen im Stadtpark.</p>",
            },
            {
                "type": "contact",
                "value": {
                    "name": "Bürgertelefon",
                    "phone": "040 535 95 0",
                    "email": "info@norderstedt.de",
                    "address": "Rathausallee 50\n22846 Norderstedt",
                    "opening_hours": "Mo–Fr 8–16 Uhr",
                },
            },
        ]
        home.save_revision().publish()
    return home


def _standard_pages(home: HomePage) -> None:
    for title, slug, intro, text in STANDARD_PAGES:
        if StandardPage.objects.filter(locale=home.locale, slug=slug).exists():
            continue
        page = home.add_child(
            instance=StandardPage(
                title=title, slug=slug, intro=intro, in_footer=True, body=[{"type": "paragraph", "value": text}]
            )
        )
        page.save_revision().publish()


def _accessibility_statement(home: HomePage) -> None:
    if AccessibilityStatementPage.objects.filter(locale=home.locale).exists():
        return
    page = home.add_child(
        instance=AccessibilityStatementPage(
            title="Erklärung zur Barrierefreiheit",
            slug="barrierefreiheit",
            statement=STATEMENT,
            thank_you_text="<p>Danke für Ihre Nachricht. Wir melden uns innerhalb von zwei Wochen.</p>",
            to_address="barrierefreiheit@norderstedt.de",
            from_address="go@norderstedt.de",
            subject="Rückmeldung zur Barrierefreiheit",
        )
    )
    for order, (label, field_type, required) in enumerate(
        [
            ("Ihr Name", "singleline", False),
            ("Ihre E-Mail-Adresse", "email", False),
            ("Wo ist die Barriere?", "singleline", True),
            ("Ihre Nachricht", "multiline", True),
        ]
    ):
        FeedbackFormField.objects.create(
            page=page, sort_order=order, label=label, field_type=field_type, required=required
        )
    page.save_revision().publish()


def seed() -> HomePage:
    home = _home(site_ensure())
    _standard_pages(home)
    _accessibility_statement(home)
    english = Locale.objects.get(language_code="en")
    easy = Locale.objects.get(language_code="de-ls")
    translation_save(
        instance=home,
        locale=english,
        strings={"Willkommen in Norderstedt": "Welcome to Norderstedt", HOME_INTRO: HOME_INTRO_EN},
    )
    translation_save(
        instance=home,
        locale=easy,
        strings={"Willkommen in Norderstedt": "Willkommen in Norderstedt", HOME_INTRO: HOME_INTRO_EASY},
    )
    return home
