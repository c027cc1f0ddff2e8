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


# The legal pages in English and Leichte Sprache: source text → translation (wagtail-localize segments).
LEGAL_EN = {
    "Impressum": "Legal notice",
    "Angaben gemäß § 5 DDG.": "Information under section 5 of the German Digital Services Act (DDG).",
    "Stadt Norderstedt, Rathausallee 50, 22846 Norderstedt. Vertreten durch die Oberbürgermeisterin.": (
        "Town of Norderstedt, Rathausallee 50, 22846 Norderstedt, Germany. Represented by the Lord Mayor."
    ),
    "Datenschutz": "Privacy",
    "Wie wir mit Ihren Daten umgehen.": "How we handle your data.",
    "Wir speichern nur, was für den Dienst nötig ist. Push-Nachrichten enthalten keine persönlichen Daten. "
    "Sie können Ihre Daten unter „Mein Konto“ herunterladen und löschen.": (
        "We store only what the service needs. Push notifications carry no personal data. "
        "You can download and delete your data under “My account”."
    ),
    "Erklärung zur Barrierefreiheit": "Accessibility statement",
    "Die Stadt Norderstedt ist bemüht, dieses Portal barrierefrei zugänglich zu machen. Rechtsgrundlage sind "
    "das Barrierefreiheitsstärkungsgesetz und die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0).": (
        "The town of Norderstedt strives to make this portal accessible. The legal basis is the German "
        "Accessibility Strengthening Act and the Barrier-free Information Technology Ordinance (BITV 2.0)."
    ),
    "Stand der Vereinbarkeit": "Compliance status",
    "Dieses Portal ist mit den Anforderungen der BITV 2.0 weitgehend vereinbar.": (
        "This portal largely complies with the requirements of BITV 2.0."
    ),
    "Durchsetzungsverfahren": "Enforcement procedure",
    "Wenn Sie auf eine Mitteilung keine zufriedenstellende Antwort erhalten, können Sie sich an die "
    "Ombudsstelle für barrierefreie Informationstechnik wenden.": (
        "If you do not receive a satisfactory answer to a message, you can contact the ombudsman's office "
        "for accessible information technology."
    ),
    "Danke für Ihre Nachricht. Wir melden uns innerhalb von zwei Wochen.": (
        "Thank you for your message. We will reply within two weeks."
    ),
}
LEGAL_EASY = {
    "Angaben gemäß § 5 DDG.": "Hier steht: Wer macht diese Internet-Seite?",
    "Stadt Norderstedt, Rathausallee 50, 22846 Norderstedt. Vertreten durch die Oberbürgermeisterin.": (
        "Die Stadt Norderstedt macht diese Internet-Seite. Die Adresse ist: Rathausallee 50, 22846 Norderstedt. "
        "Die Chefin von der Stadt ist die Ober-Bürgermeisterin."
    ),
    "Datenschutz": "Daten-Schutz",
    "Wie wir mit Ihren Daten umgehen.": "So schützen wir Ihre Daten.",
    "Wir speichern nur, was für den Dienst nötig ist. Push-Nachrichten enthalten keine persönlichen Daten. "
    "Sie können Ihre Daten unter „Mein Konto“ herunterladen und löschen.": (
        "Wir speichern nur die Daten, die wir brauchen. In den Nachrichten aufs Handy stehen keine Daten über Sie. "
        "Sie können Ihre Daten ansehen. Und Sie können Ihre Daten löschen. Das geht bei: Mein Konto."
    ),
    "Erklärung zur Barrierefreiheit": "Barriere-Freiheit",
    "Die Stadt Norderstedt ist bemüht, dieses Portal barrierefrei zugänglich zu machen. Rechtsgrundlage sind "
    "das Barrierefreiheitsstärkungsgesetz und die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0).": (
        "Alle Menschen sollen diese Internet-Seite gut benutzen können. Das will die Stadt Norderstedt. "
        "Das steht auch in einem Gesetz."
    ),
    "Stand der Vereinbarkeit": "Was schon gut ist",
    "Dieses Portal ist mit den Anforderungen der BITV 2.0 weitgehend vereinbar.": (
        "Fast alles auf dieser Internet-Seite ist schon gut zu benutzen."
    ),
    "Durchsetzungsverfahren": "Wenn Sie Hilfe brauchen",
    "Wenn Sie auf eine Mitteilung keine zufriedenstellende Antwort erhalten, können Sie sich an die "
    "Ombudsstelle für barrierefreie Informationstechnik wenden.": (
        "Etwas ist schwer zu benutzen? Dann schreiben Sie uns. Sie sind mit unserer Antwort nicht zufrieden? "
        "Dann können Sie sich bei einer Schlichtungs-Stelle beschweren."
    ),
    "Danke für Ihre Nachricht. Wir melden uns innerhalb von zwei Wochen.": (
        "Danke für Ihre Nachricht. Wir antworten Ihnen in 2 Wochen."
    ),
}


def _legal_translations(home: HomePage, locales: dict[Locale, dict[str, str]]) -> None:
    """Every legal page in every locale, so no footer ever lacks one."""
    legal = [*StandardPage.objects.filter(locale=home.locale, in_footer=True)]
    legal += [*AccessibilityStatementPage.objects.filter(locale=home.locale)]
    for page in legal:
        for locale, strings in locales.items():
            if not page.has_translation(locale):
                translation_save(instance=page, locale=locale, strings=strings)


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
    _legal_translations(home, {english: LEGAL_EN, easy: LEGAL_EASY})
    return home
