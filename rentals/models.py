"""Park equipment rentals: what can be borrowed, where, by whom and when.

``rentals`` owns locations, item types, items, reservations and the access log.
The hardware (lockers and their compartments) belongs to ``locker_bridge``;
rentals calls its services and listens to its signals, never the other way.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index


class Location(models.Model):
    """A locker site citizens walk to, e.g. "Stadtpark Norderstedt".

    Holds what a visitor needs before setting out: where it is, when it is open
    and how to reach it without barriers.
    """

    name = models.CharField(_("Name"), max_length=120)
    address = models.CharField(_("Adresse"), max_length=200)
    latitude = models.DecimalField(_("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(
        _("Öffnungszeiten"), max_length=200, blank=True, help_text=_("So, wie Bürgerinnen und Bürger sie lesen.")
    )
    accessibility_notes = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("opening_hours"),
        FieldPanel("accessibility_notes"),
    ]

    class Meta:
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ItemType(TranslatableMixin, index.Indexed, models.Model):
    """A kind of thing to borrow ("Leihgegenstand"): Rollator, Bollerwagen, …

    Translatable, so each locale shows its own name, description and rules of
    use. The booking rules (slot length, opening hours, limits) are read from the
    German source, because one item type has one set of rules whatever the
    language of the person booking.
    """

    name = models.CharField(_("Name"), max_length=80)
    slug = models.SlugField(_("Kurzname für Adressen"), max_length=80)
    description = models.TextField(_("Beschreibung"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rules_of_use = models.TextField(_("Nutzungsregeln"), blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("Zeitraster (Minuten)"), default=60)
    max_duration_minutes = models.PositiveIntegerField(_("Längste Ausleihe (Minuten)"), default=24 * 60)
    opens_at = models.TimeField(_("Ausleihe ab"), default=datetime.time(8, 0))
    closes_at = models.TimeField(_("Rückgabe bis"), default=datetime.time(20, 0))
    lead_minutes = models.PositiveIntegerField(_("Kürzeste Vorlaufzeit (Minuten)"), default=0)
    horizon_days = models.PositiveSmallIntegerField(_("So viele Tage im Voraus buchbar"), default=14)
    max_active_per_citizen = models.PositiveSmallIntegerField(_("Aktive Reservierungen je Person"), default=2)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("image"),
        FieldPanel("rules_of_use"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("slot_minutes"), FieldPanel("max_duration_minutes")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("lead_minutes"), FieldPanel("horizon_days")]),
                FieldPanel("max_active_per_citizen"),
            ],
            heading=_("Regeln"),
        ),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Leihgegenstand")
        verbose_name_plural = _("Leihgegenstände")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="item_type_slug_unique_per_locale"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="item_type_opens_before_close"
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=15), name="item_type_slot_at_least_15_minutes"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """One physical thing ("Gegenstand") that lives in its home compartment.

    ``status`` says whether it may be booked; ``condition`` what staff last
    found, so a problem reported at return flags it for a check.
    """

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("im Einsatz")
        MAINTENANCE = "maintenance", _("in Wartung")
        RETIRED = "retired", _("ausgemustert")

    class Condition(models.TextChoices):
        GOOD = "good", _("in Ordnung")
        CHECK = "check", _("bitte prüfen")
        DAMAGED = "damaged", _("beschädigt")

    item_type = models.ForeignKey(
        ItemType, verbose_name=_("Leihgegenstand"), on_delete=models.PROTECT, related_name="items"
    )
    location = models.ForeignKey(Location, verbose_name=_("Standort"), on_delete=models.PROTECT, related_name="items")
    label = models.CharField(_("Bezeichnung"), max_length=80, help_text=_("Zum Beispiel „Rollator 3“."))
    home_compartment = models.OneToOneField(
        "locker_bridge.Compartment",
        verbose_name=_("Heimatfach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="item",
        help_text=_("Das Fach, aus dem der Gegenstand abgeholt und in das er zurückgebracht wird."),
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    condition = models.CharField(_("Zustand"), max_length=20, choices=Condition.choices, default=Condition.GOOD)
    condition_note = models.TextField(_("Notiz zum Zustand"), blank=True)

    panels = [
        FieldPanel("item_type"),
        FieldPanel("location"),
        FieldPanel("label"),
        FieldPanel("home_compartment"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("condition")]),
        FieldPanel("condition_note"),
    ]

    class Meta:
        verbose_name = _("Gegenstand")
        verbose_name_plural = _("Gegenstände")
        ordering = ["item_type__sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class MaintenanceBlock(models.Model):
    """A time in which an item cannot be lent: repair, cleaning, inspection.

    Creating one cancels the reservations it overlaps and tells the people who
    made them (``rentals.services.maintenance_block_create``).
    """

    item = models.ForeignKey(
        Item, verbose_name=_("Gegenstand"), on_delete=models.CASCADE, related_name="maintenance_blocks"
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    reason = models.CharField(_("Grund"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Wartung")
        verbose_name_plural = _("Wartungen")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="maintenance_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.starts_at:%d.%m.%Y %H:%M}"


class TsTzRange(Func):
    """PostgreSQL's ``tstzrange(start, end, '[)')``: half-open, so back-to-back slots do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that exists on PostgreSQL and is skipped elsewhere.

    SQLite has no exclusion constraints. There, ``reservation_create`` runs in an
    ``IMMEDIATE`` transaction, which takes SQLite's single write lock at BEGIN, so
    the check and the insert are serialised across processes (docs/rentals.md).
    """

    def _on_postgres(self, connection) -> bool:
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._on_postgres(schema_editor.connection) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._on_postgres(schema_editor.connection) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._on_postgres(schema_editor.connection) else None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if self._on_postgres(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)


class Reservation(models.Model):
    """One person's claim on one item for a time range, and what became of it.

    The person is either a citizen with an account or a caller that staff booked
    for by phone (name and phone number). The state machine lives in
    ``Reservation.TRANSITIONS``; services change ``state`` only through it.
    PINs are stored as keyed hashes; ``pin_for_citizen`` is the one readable copy
    the citizen is shown, and it is wiped when the reservation ends.
    """

    class State(models.TextChoices):
        RESERVED = "reserved", _("reserviert")
        PICKED_UP = "picked_up", _("abgeholt")
        OVERDUE = "overdue", _("überfällig")
        RETURNED = "returned", _("zurückgegeben")
        CANCELLED = "cancelled", _("storniert")
        NO_SHOW = "no_show", _("nicht abgeholt")

    TRANSITIONS: dict[str, frozenset[str]] = {
        State.RESERVED: frozenset({State.PICKED_UP, State.CANCELLED, State.NO_SHOW}),
        State.PICKED_UP: frozenset({State.RETURNED, State.OVERDUE}),
        State.OVERDUE: frozenset({State.RETURNED}),
        State.RETURNED: frozenset(),
        State.CANCELLED: frozenset(),
        State.NO_SHOW: frozenset(),
    }
    ACTIVE_STATES = (State.RESERVED, State.PICKED_UP, State.OVERDUE)

    item = models.ForeignKey(Item, verbose_name=_("Gegenstand"), on_delete=models.PROTECT, related_name="reservations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rental_reservations",
    )
    caller_name = models.CharField(_("Name (telefonische Buchung)"), max_length=120, blank=True)
    caller_phone = models.CharField(_("Telefon (telefonische Buchung)"), max_length=40, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.RESERVED)
    pin_hash = models.CharField(max_length=64, blank=True)
    pin_for_citizen = models.CharField(max_length=12, blank=True)
    qr_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    picked_up_at = models.DateTimeField(_("Abgeholt"), null=True, blank=True)
    returned_at = models.DateTimeField(_("Zurückgegeben"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("Storniert"), null=True, blank=True)
    problem_report = models.TextField(_("Gemeldetes Problem"), blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Reservierung")
        verbose_name_plural = _("Reservierungen")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["state", "starts_at"], name="reservation_state_start"),
            models.Index(fields=["item", "starts_at"], name="reservation_item_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="reservation_ends_after_start"),
            PostgresExclusionConstraint(
                name="reservation_no_double_booking",
                expressions=[
                    ("item", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=Q(state__in=["reserved", "picked_up", "overdue"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.starts_at:%d.%m.%Y %H:%M}"

    @property
    def reference(self) -> str:
        """The business key for locker commands and notices about this reservation."""
        return f"reservation-{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES


class AccessLogEntry(models.Model):
    """Append-only record of every door event, PIN use and remote open.

    Kept for its own retention period (``RENTALS_ACCESS_LOG_RETENTION_DAYS``),
    longer than reservations, so staff can still answer "who opened compartment
    7 on Saturday" after the reservation itself has been anonymised.
    """

    class Kind(models.TextChoices):
        PIN_PROVISIONED = "pin_provisioned", _("PIN eingerichtet")
        PIN_REVOKED = "pin_revoked", _("PIN gelöscht")
        DOOR_OPENED = "door_opened", _("Tür geöffnet")
        DOOR_CLOSED = "door_closed", _("Tür geschlossen")
        REMOTE_OPEN = "remote_open", _("Fernöffnung")
        OPEN_FAILED = "open_failed", _("Öffnen fehlgeschlagen")
        PROBLEM_REPORTED = "problem_reported", _("Problem gemeldet")

    at = models.DateTimeField(_("Zeitpunkt"), db_index=True)
    kind = models.CharField(_("Ereignis"), max_length=30, choices=Kind.choices)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_log")
    reservation = models.ForeignKey(
        Reservation, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_log"
    )
    compartment_label = models.CharField(_("Fach"), max_length=80, blank=True)
    via = models.CharField(_("Über"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("Grund"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Zugriffsprotokoll")
        verbose_name_plural = _("Zugriffsprotokoll")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("The access log is append-only.")
        super().save(*args, **kwargs)
