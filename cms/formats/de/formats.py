# The weekday helps people who plan by day rather than by date.
DATETIME_FORMAT = "l, j. F Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
