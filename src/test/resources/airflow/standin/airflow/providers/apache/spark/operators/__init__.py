"""Stand-in package (see airflow/__init__.py)."""
