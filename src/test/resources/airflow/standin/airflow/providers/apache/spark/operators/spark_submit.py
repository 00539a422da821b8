"""Stand-in for airflow.providers.apache.spark.operators.spark_submit.SparkSubmitOperator."""
from airflow import BaseOperator, BASE_OPERATOR_PARAMETERS, check_parameters

# The operator's own parameters, as documented by apache-airflow-providers-apache-spark.
SPARK_SUBMIT_PARAMETERS = frozenset({
    "application", "conf", "conn_id", "files", "py_files", "archives", "driver_class_path", "jars",
    "java_class", "packages", "exclude_packages", "repositories", "total_executor_cores",
    "executor_cores", "executor_memory", "driver_memory", "keytab", "principal", "proxy_user",
    "name", "num_executors", "status_poll_interval", "application_args", "env_vars", "verbose",
    "spark_binary", "properties_file", "yarn_queue", "deploy_mode",
})


class SparkSubmitOperator(BaseOperator):
    template_fields = ("application", "conf", "files", "py_files", "jars", "driver_class_path",
                       "packages", "exclude_packages", "keytab", "principal", "proxy_user", "name",
                       "application_args", "env_vars", "properties_file")

    def __init__(self, **kwargs):
        check_parameters("SparkSubmitOperator", kwargs, SPARK_SUBMIT_PARAMETERS | BASE_OPERATOR_PARAMETERS)
        own = {k: v for k, v in kwargs.items() if k in SPARK_SUBMIT_PARAMETERS}
        base = {k: v for k, v in kwargs.items() if k not in SPARK_SUBMIT_PARAMETERS}
        if own.get("application_args") is not None and not isinstance(own["application_args"], list):
            raise TypeError("application_args must be a list")
        super().__init__(**base)
        self.spark_kwargs = own
        self.kwargs = kwargs
        for name in SPARK_SUBMIT_PARAMETERS:  # as the operator keeps them (templated fields)
            setattr(self, name, own.get(name))
