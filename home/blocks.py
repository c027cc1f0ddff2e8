"""StreamField blocks shared by editorial pages.

Every block renders with its own template in ``templates/home/blocks/`` and keeps
to BITV 2.0: images require alt text, headings are h2/h3 only so the page outline stays valid.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Ebene"),
        choices=[("h2", _("Überschrift 2")), ("h3", _("Überschrift 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "home/blocks/heading.html"


class AccessibleImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Bild"))
    alt_text = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=250,
        help_text=_("Beschreiben Sie kurz, was auf dem Bild zu sehen ist."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "home/blocks/image.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text der Schaltfläche"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Interne Seite"), required=False)
    url = blocks.URLBlock(label=_("Oder Adresse"), required=False)

    class Meta:
        icon = "link"
        label = _("Handlungsaufforderung")
        template = "home/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": ValidationError(_("Bitte wählen Sie eine Seite oder geben Sie eine Adresse ein."))
                }
            )
        return value


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Frage"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Antwort"), features=RICH_TEXT_FEATURES)


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=120)
    items = blocks.ListBlock(FAQItemBlock(), label=_("Fragen"))

    class Meta:
        icon = "help"
        label = _("Fragen und Antworten")
        template = "home/blocks/faq.html"


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name oder Stelle"), max_length=120)
    phone = blocks.CharBlock(label=_("Telefon"), required=False, max_length=40)
    email = blocks.EmailBlock(label=_("E-Mail"), required=False)
    address = blocks.TextBlock(label=_("Adresse"), required=False)
    opening_hours = blocks.TextBlock(label=_("Sprechzeiten"), required=False)

    class Meta:
        icon = "user"
        label = _("Kontakt")
        template = "home/blocks/contact.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="home/blocks/paragraph.html"
    )
    image = AccessibleImageBlock()
    call_to_action = CallToActionBlock()
    faq = FAQBlock()
    contact = ContactBlock()
