"""Stand-in for airflow.datasets (Airflow 2.4+; gone in Airflow 3, where check_dag.py hides it)."""
from airflow import _AssetBase


class Dataset(_AssetBase):
    def __init__(self, uri, extra=None):
        super().__init__(uri)
        self.extra = extra or {}
