"""Stand-in for the few pendulum calls generated DAGs make, on top of zoneinfo."""
import datetime as _datetime
from zoneinfo import ZoneInfo


class DateTime(_datetime.datetime):
    def in_timezone(self, tz):
        return instance(self.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz))


def instance(dt, tz=None):
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(tz or "UTC"))
    return DateTime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond,
                    tzinfo=dt.tzinfo, fold=dt.fold)


def datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tz="UTC"):
    return DateTime(year, month, day, hour, minute, second, microsecond, tzinfo=ZoneInfo(tz))
