"""A site's own Airflow callbacks, as a job's airflow block names them (tests only)."""
