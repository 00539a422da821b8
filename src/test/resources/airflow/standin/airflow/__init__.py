"""Stand-in for the parts of Airflow that generated Lakeport DAGs use (tests only).

Accepts only the parameters documented in both Airflow 2.4+ and 3.x, records every DAG and
operator, and renders templated fields the way Airflow does for a given DAG run.
"""
import datetime as _datetime

RECORDED = []
_ACTIVE = []

# DAG parameters documented in Airflow 2.4+ and in Airflow 3.x (schedule_interval, timetable,
# concurrency and sla_miss_callback are gone in 3 and so are refused here).
DAG_PARAMETERS = frozenset({
    "dag_id", "description", "schedule", "start_date", "end_date", "template_searchpath",
    "template_undefined", "user_defined_macros", "user_defined_filters", "default_args",
    "max_active_tasks", "max_active_runs", "dagrun_timeout", "catchup", "on_success_callback",
    "on_failure_callback", "doc_md", "params", "access_control", "is_paused_upon_creation",
    "jinja_environment_kwargs", "render_template_as_native_obj", "tags", "owner_links",
})

# BaseOperator parameters documented in Airflow 2.4+ and in Airflow 3.x. email, email_on_failure and
# email_on_retry are among them (Airflow 3 deprecates them for SmtpNotifier, to be removed in 4, and
# still sends the mail); DAG itself takes no email argument in either, only default_args do.
BASE_OPERATOR_PARAMETERS = frozenset({
    "task_id", "owner", "email", "email_on_retry", "email_on_failure", "retries", "retry_delay",
    "retry_exponential_backoff", "max_retry_delay", "start_date", "end_date", "depends_on_past",
    "wait_for_downstream", "dag", "params", "default_args", "priority_weight", "weight_rule",
    "queue", "pool", "pool_slots", "execution_timeout", "on_execute_callback",
    "on_failure_callback", "on_success_callback", "on_retry_callback", "trigger_rule",
    "resources", "run_as_user", "max_active_tis_per_dag", "executor_config", "do_xcom_push",
    "doc_md", "task_display_name", "inlets", "outlets",
})


class _AssetBase:
    """What Airflow 2's Dataset and Airflow 3's Asset share: a URI, checked as Airflow checks it."""

    def __init__(self, uri):
        import urllib.parse
        if not isinstance(uri, str) or not uri or uri.isspace():
            raise ValueError("a Dataset/Asset URI cannot be empty")
        if not uri.isascii():
            raise ValueError("a Dataset/Asset URI must only consist of ASCII characters")
        parsed = urllib.parse.urlsplit(uri)
        if parsed.scheme.lower() == "airflow":
            raise ValueError("the scheme 'airflow' is reserved")
        if "@" in parsed.netloc:
            raise ValueError("a Dataset/Asset URI must not contain auth information")
        if parsed.scheme.lower() == "file" and not parsed.path:
            raise ValueError("URI format file:// must contain a non-empty path")
        self.uri = uri


def check_parameters(kind, given, allowed):
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise TypeError(f"{kind} got unexpected keyword argument(s) {unknown}")


class DAG:
    def __init__(self, *args, **kwargs):
        if args:
            raise TypeError("the stand-in DAG takes keyword arguments only (dag_id=...)")
        check_parameters("DAG", kwargs, DAG_PARAMETERS)
        if "dag_id" not in kwargs:
            raise TypeError("DAG needs dag_id")
        check_parameters("DAG default_args", kwargs.get("default_args") or {}, BASE_OPERATOR_PARAMETERS)
        self.dag_id = kwargs["dag_id"]
        self.kwargs = kwargs
        self.tasks = []
        RECORDED.append(self)

    def __enter__(self):
        _ACTIVE.append(self)
        return self

    def __exit__(self, *exc):
        _ACTIVE.pop()
        return False


def current_dag():
    return _ACTIVE[-1] if _ACTIVE else None


class BaseOperator:
    template_fields = ()

    def __init__(self, **kwargs):
        check_parameters(type(self).__name__, kwargs, BASE_OPERATOR_PARAMETERS)
        if "task_id" not in kwargs:
            raise TypeError(f"{type(self).__name__} needs task_id")
        self.task_id = kwargs["task_id"]
        for outlet in kwargs.get("outlets") or []:
            if not isinstance(outlet, _AssetBase):
                raise TypeError(f"{self.task_id}: an outlet must be a Dataset or Asset, found {outlet!r}")
        self.dag = kwargs.get("dag") or current_dag()
        if self.dag is None:
            raise RuntimeError(f"operator {self.task_id} is not in a DAG")
        defaults = self.dag.kwargs.get("default_args") or {}
        self.owner = kwargs.get("owner", defaults.get("owner", "airflow"))
        self.pool = kwargs.get("pool", defaults.get("pool", "default_pool"))
        self.queue = kwargs.get("queue", defaults.get("queue", "default"))
        self.downstream = []
        self.dag.tasks.append(self)

    def __rshift__(self, other):
        self.downstream.append(other.task_id)
        return other


class DagRun:
    """What a template sees as dag_run: logical_date (None for Airflow 3 runs without one),
    run_after (Airflow 3) and conf."""

    def __init__(self, logical_date, run_after, conf):
        self.logical_date = logical_date
        self.run_after = run_after
        self.conf = conf


def render(value, context, macros):
    """Renders a templated field as Airflow does: strings through Jinja, lists and dicts item by item."""
    if isinstance(value, str):
        return _render_string(value, context, macros)
    if isinstance(value, (list, tuple)):
        return [render(v, context, macros) for v in value]
    if isinstance(value, dict):
        return {k: render(v, context, macros) for k, v in value.items()}
    return value


def _render_string(text, context, macros):
    names = dict(context)
    names.update(macros)
    try:
        import jinja2
    except ImportError:
        jinja2 = None
    if jinja2 is not None:
        environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
        return environment.from_string(text).render(**names)
    import re
    return re.sub(r"\{\{(.*?)\}\}", lambda m: str(eval(m.group(1).strip(), {}, names)), text)


class TaskInstance:
    """What a template sees as task_instance: the DAG's and task's ids and the DAG run's id."""

    def __init__(self, dag_id, task_id, run_id):
        self.dag_id = dag_id
        self.task_id = task_id
        self.run_id = run_id


def context_for(dag_run, dag_id="dag", task_id="task"):
    """The template context Airflow builds for a run (the keys these DAGs may use)."""
    logical = dag_run.logical_date
    slot = logical or dag_run.run_after
    run_id = "scheduled__" + slot.isoformat() if slot is not None else "manual"
    context = {"dag_run": dag_run, "logical_date": logical, "data_interval_start": logical,
               "data_interval_end": logical, "params": {}, "macros": _datetime,
               "task_instance": TaskInstance(dag_id, task_id, run_id)}
    if logical is not None:
        context["ds"] = logical.strftime("%Y-%m-%d")
        context["ds_nodash"] = logical.strftime("%Y%m%d")
        context["ts"] = logical.isoformat()
    return context
