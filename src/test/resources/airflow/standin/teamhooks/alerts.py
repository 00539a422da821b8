"""Callbacks a job names in its airflow block: functions taking Airflow's context."""


def page_oncall(context):
    return context


def record_success(context):
    return context


def note_retry(context):
    return context
