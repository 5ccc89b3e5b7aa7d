"""What Qt does with ICU, as JSON: run by test_icu_data.py against the full and the trimmed ICU data."""

import json
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone, QDateTime, QDate, QTime
maps = open("/proc/self/maps").read()
icu = sorted({line.split()[-1] for line in maps.splitlines() if "libicudata" in line})
gb = QLocale("en_GB")
collator = QCollator(gb)
names = ["Zoë", "amy", "Ámy", "Bob", "bob", "Émile", "O'Neil", "oneil", "Øyvind", "Åsa", "zebra", "Ziggy"]
london = QTimeZone(b"Europe/London")
result = {
    "icu": icu,
    "sorted_en_GB": sorted(names, key=collator.sortKey),
    "compare": collator.compare("apple", "Banana"),
    "upper_en_GB": gb.toUpper("straße ǆ ﬁ"),
    "lower_en_GB": gb.toLower("İSTANBUL ΣΑΣ"),
    "upper_tr": QLocale("tr_TR").toUpper("istanbul"),
    "tz_standard": london.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, gb),
    "tz_daylight": london.displayName(QTimeZone.TimeType.DaylightTime, QTimeZone.NameType.LongName, gb),
    "tz_short": london.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.ShortName, gb),
    "tz_offset_summer": london.offsetFromUtc(QDateTime(QDate(2026, 7, 1), QTime(12, 0), QTimeZone.utc())),
    "windows_1252": QStringDecoder("windows-1252").isValid(),
    "iso_8859_15": QStringDecoder("ISO-8859-15").isValid(),
    "codecs": len(QStringDecoder.availableCodecs()),
    "date_en_GB": gb.toString(QDate(2026, 12, 3), QLocale.FormatType.LongFormat),
}
print(json.dumps(result, ensure_ascii=False))
