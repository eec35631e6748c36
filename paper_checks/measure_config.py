"""How ``alignment-tax measure`` measures: the estimator of inner products, the kind of direction a label
defines, and the checked configuration (probe, folds, intervals, seed, level, BLAS threads)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from verify.validate import InputError

__all__ = ["Estimator", "DirectionKind", "MeasureConfig", "DEFAULT_FOLDS"]


class Estimator(str, Enum):
    """How inner products between estimated directions are estimated."""

    CROSS_FIT = "cross-fit"
    PLUG_IN = "plug-in"


class DirectionKind(str, Enum):
    """Which direction a label defines: the class-mean difference, or the shrinkage readout of it."""

    ENCODING = "encoding"
    READOUT = "readout"


# The folds of the default configuration, at which the intervals' coverage is measured
# (bench/bench_measure_coverage.py): with fewer, the interval of <v*, c_i> keeps few degrees of freedom.
DEFAULT_FOLDS = 20


@dataclass(frozen=True)
class MeasureConfig:
    """How to measure: the estimator, the kind of direction, the probe, the folds, the intervals (bootstrap
    resamples for the plug-in estimator), the seed, the level and the BLAS threads.

    One BLAS thread by default: on a 2-core machine (bench/bench_measure.py), OpenBLAS's threads made the
    many small products 10-30x slower whenever other processes shared the cores, while one thread
    runs the large float32 products at about 100 GFLOPS (AVX-512), enough for the benchmark."""

    probe: str = "diff-means"
    bootstrap: int = 200
    seed: int = 0
    level: float = 0.95
    threads: int = 1
    estimator: str = "cross-fit"
    direction: str = "encoding"
    folds: int = DEFAULT_FOLDS
    intervals: bool = True

    def __post_init__(self) -> None:
        if self.probe not in ("diff-means", "logistic"):
            raise InputError(f"probe={self.probe!r} must be 'diff-means' or 'logistic'.")
        if self.estimator not in {x.value for x in Estimator}:
            raise InputError(f"estimator={self.estimator!r} must be 'cross-fit' or 'plug-in'.")
        if self.direction not in {x.value for x in DirectionKind}:
            raise InputError(f"direction={self.direction!r} must be 'encoding' or 'readout'.")
        if self.probe == "logistic" and (self.estimator != "plug-in" or self.direction != "readout"):
            raise InputError("probe='logistic' is a readout direction fitted on all samples: use it with "
                             "--estimator plug-in --direction readout (cross-fitting is offered for the difference "
                             "of means and its shrinkage readout).")
        if isinstance(self.bootstrap, bool) or not isinstance(self.bootstrap, int) or self.bootstrap < 0:
            raise InputError(f"bootstrap={self.bootstrap!r} must be a nonnegative integer (0: no CIs).")
        if isinstance(self.folds, bool) or not isinstance(self.folds, int) or self.folds < 5:
            raise InputError(f"folds={self.folds!r} must be an integer >= 5 (the joint tax rate's products need four "
                             f"independent folds, and the jackknife four after one is left out).")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise InputError(f"seed={self.seed!r} must be a nonnegative integer.")
        if not 0 < self.level < 1:
            raise InputError(f"level={self.level!r} must lie in (0, 1), e.g. 0.95.")
        if isinstance(self.threads, bool) or not isinstance(self.threads, int) or self.threads < 1:
            raise InputError(f"threads={self.threads!r} must be a positive integer (BLAS threads).")
