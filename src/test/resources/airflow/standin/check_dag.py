"""Imports one generated DAG file against the stand-in modules and prints what it recorded as JSON.

    python3 check_dag.py <dag file>             the DAGs, their arguments and tasks
    python3 check_dag.py <dag file> --render    then reads lines from stdin, one DAG run each:
        "<logical date, ISO with offset>"        a scheduled run (Airflow 2 and 3)
        "after <run_after ISO>"                  an Airflow 3 run triggered without a logical date
        "conf <run_date> <logical date ISO>"     a run triggered with conf {"run_date": ...}
    and prints each task's rendered application_args as one JSON line per input line.

The environment variable STANDIN_AIRFLOW picks the Airflow generation the stand-ins play: 3 (the
default) hides airflow.datasets, which Airflow 3 removed; 2 hides airflow.sdk, which Airflow 2 does
not have. A DAG file that imports either unguarded fails to import under the other.
"""
import datetime
import importlib.util
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
# A None entry makes `import` of that module raise ImportError, as for a module that is not there.
sys.modules["airflow.datasets" if os.environ.get("STANDIN_AIRFLOW", "3") == "3" else "airflow.sdk"] = None

import airflow  # noqa: E402  (the stand-in, from this folder)
import pendulum  # noqa: E402


def load(path):
    spec = importlib.util.spec_from_file_location("dag_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plain(value):
    if isinstance(value, datetime.timedelta):
        return {"timedelta_seconds": value.total_seconds()}
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat(), "zone": str(value.tzinfo)}
    if isinstance(value, airflow._AssetBase):
        return {"asset": value.uri}
    if callable(value) and hasattr(value, "__name__"):
        return {"function": value.__name__, "module": value.__module__}
    if hasattr(value, "cron"):
        return {"CronTriggerTimetable": {"cron": value.cron, "timezone": value.timezone,
                                         "interval_seconds": value.interval.total_seconds()}}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def describe():
    return [{"dag_id": dag.dag_id, "kwargs": plain(dag.kwargs),
             "tasks": [{"class": type(t).__name__, "kwargs": plain(t.kwargs), "downstream": t.downstream}
                       for t in dag.tasks]}
            for dag in airflow.RECORDED]


def run_for(line):
    parts = line.split()
    if parts[0] == "after":
        return airflow.DagRun(None, pendulum.instance(datetime.datetime.fromisoformat(parts[1])), {})
    if parts[0] == "conf":
        logical = pendulum.instance(datetime.datetime.fromisoformat(parts[2]))
        return airflow.DagRun(logical, logical, {"run_date": parts[1]})
    logical = pendulum.instance(datetime.datetime.fromisoformat(parts[0]))
    return airflow.DagRun(logical, logical, {})


def main():
    load(sys.argv[1])
    if len(sys.argv) > 2 and sys.argv[2] == "--render":
        for line in sys.stdin:
            if not line.strip():
                continue
            run = run_for(line.strip())
            rendered = []
            for dag in airflow.RECORDED:
                macros = dag.kwargs.get("user_defined_macros") or {}
                for task in dag.tasks:
                    context = airflow.context_for(run, dag.kwargs.get("dag_id"), task.task_id)
                    rendered.append(airflow.render(task.spark_kwargs.get("application_args"),
                                                   context, macros))
            print(json.dumps(rendered))
    else:
        print(json.dumps(describe(), indent=1, sort_keys=True))


main()
