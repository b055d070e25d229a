"""Print the occurrences of an .ics file in a window as JSON (peer for Carnet's expander).

Usage: expand.py FILE START END
START and END are ISO dates (YYYY-MM-DD); the window is [START, END) in each
event's own time zone, as recurring-ical-events defines it. Output: a JSON list
of {"uid", "start", "end"} sorted by uid then start (or {"error": …} when
the peer cannot read the file), where a date prints as
YYYY-MM-DD, a floating date-time as YYYY-MM-DDTHH:MM:SS and a zoned or UTC
date-time as the UTC instant YYYY-MM-DDTHH:MM:SSZ.
"""

import datetime
import json
import sys

import icalendar
import recurring_ical_events


def render(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%dT%H:%M:%S")
        utc = value.astimezone(datetime.timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.strftime("%Y-%m-%d")


def main():
    path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(path, "rb") as handle:
        data = handle.read()
    window_start = datetime.date.fromisoformat(start)
    window_end = datetime.date.fromisoformat(end)
    rows = []
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
        events = [
            event
            for calendar in calendars
            for event in recurring_ical_events.of(
                calendar, skip_bad_series=True
            ).between(window_start, window_end)
        ]
    except Exception as error:  # noqa: BLE001 - any failure is reported as data
        json.dump({"error": f"{type(error).__name__}: {error}"}, sys.stdout)
        sys.stdout.write("\n")
        return
    for event in events:
        # recurring-ical-events 3.8.2 returns cancelled occurrences like any
        # other; Carnet leaves them out, so the peer output drops them too.
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        rows.append(
            {
                "uid": str(event.get("UID", "")),
                "start": render(event["DTSTART"].dt),
                "end": render(event["DTEND"].dt) if "DTEND" in event else None,
            }
        )
    rows.sort(key=lambda row: (row["uid"], row["start"], row["end"] or ""))
    json.dump(rows, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
