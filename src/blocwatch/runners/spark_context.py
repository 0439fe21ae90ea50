"""The SparkContext blocwatch runs on, and what its Python workers are told.

Kept apart from the runner (and importing pyspark only when a context is made), so the command
line can start the JVM first and import the runner, the store and the readers while it boots.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import TYPE_CHECKING

from blocwatch.settings import Options

if TYPE_CHECKING:
    from pyspark import SparkContext

# Driver memory of a context started here: in local mode the driver also runs the tasks and
# holds the shuffles (spilled to disk past it).
DRIVER_MEMORY = "2g"
# One BLAS/OpenMP thread per Python worker: Spark already runs one worker per core, and spaCy's
# matrix products would otherwise start a thread per core in each of them.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# PySpark's worker daemon: this module, run with `-m`, imports blocwatch before forking workers.
DAEMON_MODULE = "blocwatch.runners.spark_tasks"
# The spaCy model the worker daemon loads before it forks workers.
MODEL_ENV = "BLOCWATCH_SPACY_MODEL"


def silence_pandas_warning() -> None:
    """PySpark's SQL modules (imported even by a plain SparkContext, to convert arguments) check
    at import that pandas is older than 3 and warn that pandas-on-Spark may misbehave otherwise.
    blocwatch uses no pandas API on Spark, so the warning would only alarm users on every run."""
    warnings.filterwarnings(
        "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
    )


def spark_context(
    master: str | None = None,
    driver_memory: str = DRIVER_MEMORY,
    ui: bool | None = None,
    spacy_model: str = Options.spacy_model,
) -> SparkContext:
    """A SparkContext for blocwatch. `master` None keeps spark-submit's (or Spark's default,
    local[*]); Python workers run this interpreter unless PYSPARK_PYTHON says otherwise. The
    web UI (`ui` None) is on for a cluster and off for a local master, where nobody watches it
    and its port could clash with another local context. `spacy_model` is loaded by each
    executor's worker daemon before it forks workers."""
    from pyspark import SparkConf, SparkContext

    silence_pandas_warning()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if ui is None:
        ui = not (master or "").startswith("local")
    conf = (
        SparkConf()
        .setAppName("blocwatch")
        .set("spark.ui.enabled", str(ui).lower())
        .set("spark.driver.memory", driver_memory)
        .set("spark.python.daemon.module", DAEMON_MODULE)
    )
    for name, value in {**WORKER_ENV, MODEL_ENV: spacy_model}.items():
        conf.set(f"spark.executorEnv.{name}", value)
    if master:
        conf.setMaster(master)
    return SparkContext.getOrCreate(conf)
