"""Stand-in for airflow.timetables.trigger: CronTriggerTimetable(cron, *, timezone, interval)."""
import datetime
import re

_FIELD = re.compile(r"^[0-9A-Za-z*,/-]+$")


class CronTriggerTimetable:
    # run_immediately exists in Airflow 3 only, so it is not accepted here.
    def __init__(self, cron, *, timezone, interval=datetime.timedelta()):
        fields = cron.split()
        if len(fields) != 5 or not all(_FIELD.match(f) for f in fields):
            raise ValueError(f"not a 5-field cron expression: {cron!r}")
        if not isinstance(timezone, str):
            raise TypeError("timezone must be a zone name here")
        from zoneinfo import ZoneInfo
        ZoneInfo(timezone)  # raises for an unknown zone, as pendulum does
        self.cron = cron
        self.timezone = timezone
        self.interval = interval
