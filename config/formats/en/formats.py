"""English as this product's users read it: ISO dates and a 24-hour clock, unambiguous for
European buyers, vendors and auditors alike (Django's `en` is American: 10/31/2027, 2:42 p.m.).
Everything not named here (input formats, number separators) stays Django's `en`."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = "m-d"
FIRST_DAY_OF_WEEK = 1  # Monday
