"""Every message a KPI file or row can get, in English with named placeholders (pure).

The ingestion fills them (`FILE_EMPTY`, `ROW_REPEATED % {"row": 7}`) and stores the English on
the upload row, as the API answers it; pages translate at display by matching the stored text
against this table (kpis.ingestion.shown), so a row is read in the reader's language whatever
language the uploader wrote in. A message is one whole sentence: never built from fragments.
"""

from core.texts import gettext_noop

# The file as a whole (KpiFileError)
FILE_EMPTY = gettext_noop("The file is empty.")
FILE_TOO_LARGE = gettext_noop("The file is %(size)s; the limit is %(limit)s.")
FILE_ABOUT_TOO_LARGE = gettext_noop("The file is about %(size)s; the limit is %(limit)s.")
BYTES = gettext_noop("%(n)s bytes")
MEGABYTES = gettext_noop("%(n)s MB")
MACROS = gettext_noop("Macro-enabled workbooks are refused: save it as .xlsx or CSV.")
XLSB = gettext_noop("Binary workbooks (.xlsb) are not accepted: save it as .xlsx or CSV.")
LEGACY_XLS = gettext_noop(
    "This is a legacy Excel (.xls) or password-protected workbook: save it as .xlsx or CSV, "
    "without a password."
)
PDF_DOCUMENT = gettext_noop("a PDF document")
PNG_IMAGE = gettext_noop("a PNG image")
JPEG_IMAGE = gettext_noop("a JPEG image")
GIF_IMAGE = gettext_noop("a GIF image")
GZIP_ARCHIVE = gettext_noop("a gzip archive")
SEVEN_ZIP_ARCHIVE = gettext_noop("a 7-Zip archive")
RAR_ARCHIVE = gettext_noop("a RAR archive")
BINARY_KIND = gettext_noop("This is %(kind)s, not a CSV or XLSX file.")
ENCODING_REFUSED = gettext_noop("%(encoding)s is not accepted: save the file as CSV UTF-8.")
BOM_MISMATCH = gettext_noop("The file starts with a %(name)s byte-order mark but is not %(name)s.")
ENCODING_UNKNOWN = gettext_noop(
    "The file's encoding is none of UTF-8, UTF-16 (with a byte-order mark) or Windows-1252: "
    "save it as CSV UTF-8."
)
NUL_BYTES = gettext_noop(
    "The file contains NUL bytes: it is binary, or UTF-16 without a byte-order mark; "
    "save it as CSV UTF-8 or .xlsx."
)
COMMA = gettext_noop("comma")
SEMICOLON = gettext_noop("semicolon")
TAB = gettext_noop("tab")
NO_HEADER = gettext_noop("The file has no header row.")
NO_DELIMITER = gettext_noop(
    "The header row has no comma, semicolon or tab between column names. A KPI file "
    "needs the columns %(columns)s."
)
DELIMITER_AMBIGUOUS = gettext_noop(
    "The header row reads correctly with more than one delimiter (%(names)s): it is ambiguous."
)
DELIMITERS_MIXED = gettext_noop("The header row mixes delimiters (%(names)s): use one delimiter.")
NO_DATA_ROWS = gettext_noop("The file has a header row but no data rows.")
CSV_ROW_UNREADABLE = gettext_noop("Row %(row)s cannot be read as CSV: %(error)s.")
COLUMN_TWICE = gettext_noop("The header row names the column %(column)s twice.")
COLUMNS_MISSING = gettext_noop(
    "The header row lacks the column(s) %(missing)s. A KPI file needs the columns "
    "%(columns)s (channel and volume cells may be empty)."
)
SHEET_NO_DATA_ROWS = gettext_noop("The first sheet has a header row but no data rows.")
SHEET_EMPTY = gettext_noop("The first sheet of the workbook is empty.")
ZIP_DAMAGED = gettext_noop("The file is a damaged ZIP archive: save it as .xlsx or CSV.")
WORKBOOK_ENCRYPTED = gettext_noop(
    "The workbook is encrypted: save it as .xlsx or CSV, without a password."
)
ZIP_BOMB = gettext_noop("The archive would inflate far beyond its size: it is refused.")
ZIP_NOT_XLSX = gettext_noop("This ZIP file is not an .xlsx workbook: save it as .xlsx or CSV.")
WORKBOOK_UNREADABLE = gettext_noop(
    "The workbook could not be read (%(error)s): save it as .xlsx or CSV."
)
NO_WORKSHEET = gettext_noop("The workbook has no worksheet.")
TOO_MANY_CELLS = gettext_noop(
    "The first sheet has more than %(limit)s cells, the limit for a workbook: "
    "split it into smaller files, or save it as CSV (a CSV file has no cell limit)."
)

# One row (Problem.message)
CONTRACT_EMPTY = gettext_noop("The contract is empty.")
CHANNEL_UNKNOWN = gettext_noop("Unknown channel: use %(channels)s, or leave it empty for all.")
METRIC_UNKNOWN = gettext_noop("Unknown metric: the catalogue has %(metrics)s.")
PERIOD_FORMAT = gettext_noop("Write the period as YYYY-MM for a month or YYYY-MM-DD for a day.")
NO_SUCH_MONTH = gettext_noop("There is no month %(period)s.")
NO_SUCH_DAY = gettext_noop("There is no day %(period)s.")
VALUE_EMPTY = gettext_noop("The value is empty.")
NOT_A_PERCENTAGE = gettext_noop("%(metric)s is not a percentage: remove the %% sign.")
TOO_LARGE = gettext_noop("Too large: a value lies between -999,999,999,999 and 999,999,999,999.")
TOO_PRECISE = gettext_noop("Too many decimals: at most %(n)s after the decimal mark.")
BELOW_MINIMUM = gettext_noop("%(metric)s cannot be below %(minimum)s.")
OUT_OF_RANGE = gettext_noop("%(metric)s must be between %(minimum)s and %(maximum)s.")
NEEDS_VOLUME = gettext_noop("%(metric)s is a weighted mean: it needs a volume (%(volume)s).")
VOLUME_NOT_WHOLE = gettext_noop("The volume must be a whole number, 0 or more.")
VOLUME_TOO_LARGE = gettext_noop("Too large: a volume is a whole number from 0 to 999,999,999,999.")
NUMBER_TOO_LONG = gettext_noop("Not a number: too many characters.")
NOT_A_NUMBER = gettext_noop("Not a number.")
NOT_A_NUMBER_POINT = gettext_noop(
    "Not a number here: this file uses a decimal point, and only '%(group)s' or a space may "
    "group thousands (e.g. %(example)s)."
)
NOT_A_NUMBER_COMMA = gettext_noop(
    "Not a number here: this file uses a decimal comma, and only '%(group)s' or a space may "
    "group thousands (e.g. %(example)s)."
)
NUMBER_AMBIGUOUS = gettext_noop(
    "Ambiguous: %(point)s with a decimal point but %(comma)s with a decimal comma; write it "
    "without a thousands separator."
)
NO_CONTRACT = gettext_noop("No contract has this reference.")
ROW_REPEATED = gettext_noop("Row %(row)s already gives this contract, period, channel and metric.")
MONTH_THEN_DAY = gettext_noop(
    "Row %(row)s gives this whole month; a month is either one row or daily rows."
)
DAY_THEN_MONTH = gettext_noop(
    "Row %(row)s gives a day of this month; a month is either one row or daily rows."
)
FUTURE_MONTH = gettext_noop(
    "This period has not happened yet: a file may report up to this month (%(today)s)."
)
FUTURE_DAY = gettext_noop(
    "This period has not happened yet: a file may report up to today (%(today)s)."
)
OUTSIDE_CONTRACT = gettext_noop("Outside the contract, which runs from %(start)s to %(end)s.")
NO_VOLUME = gettext_noop(
    "The month's rows report a total volume of 0, so there is no weighted mean."
)


# The outcome of an upload (KpiUpload.message; counted outcomes: kpis.ingestion.outcome)
DUPLICATE = gettext_noop(
    "The same file (same SHA-256) was uploaded as #%(id)s on %(when)s; nothing was done."
)
INTERNAL_ERROR = gettext_noop(
    "Processing failed because of an internal error, which has been logged. Nothing was "
    "stored; upload the file again."
)
DATABASE_UNAVAILABLE = gettext_noop(
    "Processing failed: the database stayed unavailable. Nothing was stored; upload the file again."
)
WORKERS_DIED = gettext_noop(
    "Processing failed: the worker processing it stopped %(count)s times (the file may be too "
    "large to process). Nothing was stored; split the file and upload the parts."
)
TIME_LIMIT = gettext_noop(
    "Processing stopped: the file took longer than the limit of %(seconds)s seconds. Nothing "
    "was stored; split the file into smaller ones (for example one per month) and upload them."
)

ALL = tuple(v for n, v in sorted(globals().items()) if n.isupper() and isinstance(v, str))
