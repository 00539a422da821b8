"""Stand-in for airflow.sdk, Airflow 3's Task SDK (check_dag.py hides it to stand for Airflow 2)."""
from airflow import DAG, _AssetBase  # noqa: F401  (re-exported, as airflow.sdk does)


class Asset(_AssetBase):
    # Airflow 3: Asset(name=None, uri=None, *, group, extra, watchers); a name alone is the URI too.
    def __init__(self, name=None, uri=None, *, group="asset", extra=None, watchers=()):
        if name is None and uri is None:
            raise TypeError("Asset() requires either 'name' or 'uri'")
        super().__init__(uri if uri is not None else name)
        self.name = name if name is not None else uri
        self.group = group
        self.extra = extra or {}
