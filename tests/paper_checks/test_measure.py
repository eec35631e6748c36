"""``alignment-tax measure``: the report on the synthetic fixture, its JSON contract, determinism, and bad input
(exit 2)."""
from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from paper_checks import measure as ME
from paper_checks.cli import main
from verify.synthetic import synthetic_activations

SCHEMA = json.loads((Path(__file__).parents[2] / "paper_checks" / "measure_schema.json").read_text())


@functools.cache
def _syn():
    return synthetic_activations(d=32, layers=3, reps=10, seed=1)


def _write(tmp_path: Path, name: str = "acts.npz", **changes) -> Path:
    arrays = dict(_syn().arrays())
    for k, v in changes.items():
        if v is None:
            arrays.pop(k)
        else:
            arrays[k] = v
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


def test_report_validates_is_deterministic_and_ranks_by_predicted_change(tmp_path: Path, capsys) -> None:
    src = _write(tmp_path)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["measure", str(src), "--json", str(a), "--bootstrap", "60", "--seed", "3", "--layer", "1"]) == 0
    out = capsys.readouterr().out
    assert main(["measure", str(src), "--json", str(b), "--bootstrap", "60", "--seed", "3"]) == 0
    assert a.read_bytes() == b.read_bytes()
    report = json.loads(a.read_text())
    jsonschema.validate(report, SCHEMA)
    assert max(len(line) for line in out.splitlines() if not line.startswith("JSON report written to")) <= 80
    assert "degradation in proportion to sqrt(tau_i), not tau_i" in out.replace("\n", " ")
    syn = _syn()
    for row, cos in zip(report["layers"], syn.planted.cos, strict=False):
        caps = {c["name"]: c for c in row["capabilities"]}
        assert row["ranked_by_predicted_cost"] == sorted(caps, key=lambda n: caps[n]["cos"]["value"])
        for name, planted in zip(syn.planted.names, cos, strict=False):
            c = caps[name]
            lo, hi = c["cos"]["ci"]
            assert lo <= c["cos"]["value"] <= hi
            assert c["predicted_effect"] == ("uncertain" if lo <= 0 <= hi else
                                             "degrade" if c["cos"]["value"] < 0 else "improve")
            assert c["tau"]["ci"] == pytest.approx(sorted([0.0 if lo <= 0 <= hi else min(lo**2, hi**2),
                                                          max(lo**2, hi**2)]), abs=1e-11)
            if abs(planted) > 0.2:                                   # the intrinsic overlaps: sign and value
                assert np.sign(c["cos"]["value"]) == np.sign(planted)
                assert c["tau"]["ci"][0] <= planted**2 <= c["tau"]["ci"][1]
    assert report["layers"][0]["token_position"] == -1
    assert report["layers"][2]["layer_name"] == "blocks.4.hook_resid_post"
    pair = report["layers"][1]["safety_pairs"][0]
    assert pair["name"] == "helpful" and "persuasion" in pair["opposite_sign_capabilities"]
    assert pair["max_min_gain_per_B"] >= pair["eq17_rhs_per_B"]
    taus = [row["tau"]["value"] for row in report["layers"]]
    assert report["cross_layer"]["tau"]["std"] == pytest.approx(float(np.std(taus)), abs=1e-9)


def test_figures_one_per_layer(tmp_path: Path) -> None:
    src = _write(tmp_path)
    figs = tmp_path / "figs"
    j = tmp_path / "r.json"
    assert main(["measure", str(src), "--no-intervals", "--figures", str(figs), "--json", str(j)]) == 0
    names = sorted(p.name for p in figs.iterdir())
    assert names == [f"frontier_layer_{i:02d}.png" for i in range(3)]
    report = json.loads(j.read_text())
    assert [row["figure"] for row in report["layers"]] == names
    assert report["layers"][0]["tau"]["ci"] is None                    # no intervals asked for
    assert main(["measure", str(src), "--figures", str(figs)]) == 0    # with interval bands


def test_logistic_probe_is_not_bootstrapped(tmp_path: Path) -> None:
    src = _write(tmp_path)
    j = tmp_path / "r.json"
    assert main(["measure", str(src), "--probe", "logistic", "--estimator", "plug-in", "--direction", "readout",
                 "--json", str(j)]) == 0
    report = json.loads(j.read_text())
    assert report["config"]["probe"] == "logistic" and report["config"]["bootstrap"] == 0
    assert report["config"]["direction"] == "readout (logistic probe)" and report["config"]["intervals"] is None
    assert main(["measure", str(src), "--probe", "logistic"]) == 2          # cross-fitting is not offered for it


def _bad(tmp_path: Path, capsys, *options: str, **changes) -> str:
    src = _write(tmp_path, **changes)
    assert main(["measure", str(src), "--no-intervals", *options]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alignment-tax: error: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_bad_input_exits_2_naming_the_key(tmp_path: Path, capsys) -> None:
    acts = _syn().acts
    n = acts.shape[1]
    nan = acts.copy()
    nan[2, 7, 1] = np.nan
    assert "acts[2, 7, 1] is nan" in _bad(tmp_path, capsys, acts=nan)
    assert "acts has shape (160, 32)" in _bad(tmp_path, capsys, acts=acts[0, :160])
    assert "acts has dtype int32" in _bad(tmp_path, capsys, acts=acts.astype(np.int32))
    assert "the key 'safety' is missing" in _bad(tmp_path, capsys, safety=None)
    caps = [k for k in _syn().labels if k.startswith("capability_")]
    assert "no 'capability_NAME' key" in _bad(tmp_path, capsys, **{k: None for k in caps})
    assert "capability_code has only one class" in _bad(tmp_path, capsys, capability_code=np.ones(n, dtype=np.int8))
    few = np.zeros(n, dtype=np.int8)
    few[0] = 1
    assert "capability_code has 1 positive and" in _bad(tmp_path, capsys, capability_code=few)
    assert "capability_code has dtype float64" in _bad(tmp_path, capsys, capability_code=np.zeros(n))
    assert "safety has shape (3,)" in _bad(tmp_path, capsys, safety=np.array([0, 1, 1]))
    dup = _syn().labels["capability_code"]
    assert "capability_code_again (layer 0 'blocks.0.hook_resid_post') lies in the span of capability_code" in \
        _bad(tmp_path, capsys, capability_code_again=dup)
    assert "unknown key 'capabilty_typo'" in _bad(tmp_path, capsys, capabilty_typo=dup)
    assert "layer_names has shape (2,)" in _bad(tmp_path, capsys, layer_names=np.array(["a", "b"]))
    assert "token_position has shape () and dtype float64" in _bad(tmp_path, capsys, token_position=np.array(1.5))


def test_more_capabilities_than_dimensions(tmp_path: Path, capsys) -> None:
    rng = np.random.default_rng(0)
    arrays = {"acts": rng.standard_normal((1, 40, 6)), "safety": rng.permutation(np.arange(40) % 2)}
    arrays.update({f"capability_c{i}": rng.permutation(np.arange(40) % 2) for i in range(6)})
    path = tmp_path / "many.npz"
    np.savez(path, **arrays)
    assert main(["measure", str(path), "--bootstrap", "0"]) == 2
    assert "6 capabilities in d=6 dimensions" in capsys.readouterr().err


def test_unusable_files_and_outputs(tmp_path: Path, capsys) -> None:
    (tmp_path / "junk.npz").write_text("not a zip")
    assert main(["measure", str(tmp_path / "junk.npz")]) == 2
    assert "is not a readable .npz archive" in capsys.readouterr().err
    src = _write(tmp_path)
    assert main(["measure", str(src), "--json", str(tmp_path / "no" / "r.json")]) == 2
    assert "the directory" in capsys.readouterr().err
    assert main(["measure", str(src), "--layer", "9", "--bootstrap", "0"]) == 2
    assert "--layer 9 must lie in [0, 2]" in capsys.readouterr().err
    assert main(["measure", str(src), "--level", "1.5"]) == 2
    assert "--level 1.5 must lie in (0, 1)" in capsys.readouterr().err


def test_validate_arrays_is_the_python_entry_point() -> None:
    inp = ME.validate_arrays(_syn().arrays())
    assert list(inp.capabilities) == list(_syn().planted.names) and list(inp.extra_safety) == ["helpful"]
    report = ME.measure(inp, ME.MeasureConfig(bootstrap=0))
    assert report["schema"] == "alignment-tax-measure/2"


def test_gram_route_agrees_with_the_definitions() -> None:
    # The bootstrap replicates use one Cholesky factorisation per pair; the point estimates use the
    # projection/SVD functions of verify.measured.  On the same Gram matrices they must agree.
    inp = ME.validate_arrays(_syn().arrays())
    from verify import probes as P
    D = ME._directions(inp, ME.MeasureConfig())
    G = P.normalise_gram(P.gram(D))
    m, e = len(inp.capabilities), len(inp.extra_safety)
    slow, fast = ME._quantities(G, m, e), ME._gram_route(G, m, e)
    assert slow.keys() == fast.keys()
    for key in slow:
        assert np.allclose(slow[key], fast[key], rtol=0, atol=1e-12), key


@pytest.mark.parametrize("target", ["/proc/alignment-tax-report.json", "/dev/full"])
def test_unwritable_json_is_one_line_and_exit_2(tmp_path: Path, capsys, target: str) -> None:
    # /proc refuses the file before the run (root passes os.access); /dev/full fails the write after it.
    src = _write(tmp_path)
    assert main(["measure", str(src), "--bootstrap", "0", "--json", target]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("alignment-tax: error: --json") and target in err[0]


def test_identical_classes_exit_2_naming_the_labels(tmp_path: Path, capsys) -> None:
    # The safety-labelled samples of one class copy those of the other: no direction, one line, exit 2.
    syn = _syn()
    acts, safety = syn.acts.copy(), syn.labels["safety"].copy()
    pos, neg = np.flatnonzero(safety == 1)[:20], np.flatnonzero(safety == 0)[:20]
    acts[:, pos] = acts[:, neg]
    safety[:] = -1
    safety[pos], safety[neg] = 1, 0
    # The plug-in estimator refuses it (the all-sample mean difference is 0 to rounding); the cross-fitted one
    # reads independent folds, whose differences are noise, and says that none of it replicates.
    err = _bad(tmp_path, capsys, "--estimator", "plug-in", acts=acts, safety=safety)
    assert "error: safety must label two classes with different means; at layer 0" in err


def test_bool_labels_exit_2_with_the_conversion(tmp_path: Path, capsys) -> None:
    err = _bad(tmp_path, capsys, capability_code=_syn().labels["capability_code"] == 1)
    assert "capability_code has dtype bool; labels must be integers" in err and "astype(numpy.int8)" in err


def test_safety_in_the_span_of_the_capabilities_is_named(tmp_path: Path, capsys) -> None:
    # A capability labelled as safety (or as its opposite) has safety's direction (or its negative): tau = 1.  The
    # error names safety, the capability, the cosine and what the report needs; so for a further safety direction.
    safety = _syn().labels["safety"]
    where = "(layer 0 'blocks.0.hook_resid_post')"
    err = _bad(tmp_path, capsys, capability_copy=safety)
    assert f"error: safety {where} lies in the span of capability_copy (distance^2 " in err and "cos with " \
           "capability_copy +1.000000): safety must have a component outside the span of the capability " \
           "directions (tau < 1)" in err
    flipped = np.where(safety == -1, -1, 1 - safety).astype(np.int8)
    err = _bad(tmp_path, capsys, capability_flipped=flipped)
    assert "cos with capability_flipped -1.000000): safety must have" in err
    err = _bad(tmp_path, capsys, safety_copy=safety)
    assert f"error: safety_copy {where} lies in the span of safety (distance^2 " in err
    assert "cos with safety +1.000000): " \
           "safety_copy must have a component outside the span of the capability directions and the safety " \
           "directions before it" in err


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_unwritable_figure_directory_is_refused_before_the_run(tmp_path: Path, capsys) -> None:
    # /proc exists and os.access says root may write there; only a file created there shows that it cannot.
    src = _write(tmp_path)
    assert main(["measure", str(src), "--bootstrap", "0", "--figures", "/proc"]) == 2
    err = capsys.readouterr()
    assert err.out == "" and err.err.count("\n") == 1
    assert err.err.startswith("alignment-tax: error: --figures '/proc' is not a writable directory")


def test_pure_noise_labels_warn_and_are_uncertain(tmp_path: Path) -> None:
    # A capability whose labels are independent of the activations has no direction: the cross-fitted squared
    # norm is noise around 0, so the report warns (no replicable signal, or low reliability) and no effect is
    # claimed for it.
    rng = np.random.default_rng(5)
    n = _syn().acts.shape[1]
    noise = rng.permutation(np.arange(n) % 2).astype(np.int8)
    report = ME.measure(ME.validate_arrays({**_syn().arrays(), "capability_noise": noise}))
    jsonschema.validate(report, SCHEMA)
    assert any("capability_noise" in w and ("reliability" in w or "no replicable signal" in w)
               for w in report["warnings"])
    for row in report["layers"]:
        c = next(x for x in row["capabilities"] if x["name"] == "noise")
        assert c["predicted_effect"] in ("uncertain", None)


def test_few_samples_per_class_relative_to_d_warns() -> None:
    syn = synthetic_activations(d=300, layers=1, reps=4, seed=2, capabilities={"a": -0.5, "b": 0.3})
    report = ME.measure(ME.validate_arrays(syn.arrays()), ME.MeasureConfig(folds=5))
    assert any(w.startswith("few samples per class relative to d = 300") for w in report["warnings"])
    quiet = ME.measure(ME.validate_arrays(_syn().arrays()), ME.MeasureConfig(intervals=False))
    assert not any(w.startswith("few samples") for w in quiet["warnings"])


def test_precomputed_directions_give_exact_quantities_and_no_interval(tmp_path: Path, capsys) -> None:
    syn = _syn()
    pl = syn.planted
    arrays = {"direction_safety": pl.safety, **{f"direction_{c}": pl.capabilities[:, :, i]
                                                  for i, c in enumerate(pl.names)}}
    path = tmp_path / "given.npz"
    np.savez(path, **arrays)
    j = tmp_path / "r.json"
    assert main(["measure", str(path), "--json", str(j), "--layer", "0"]) == 0
    out = capsys.readouterr().out
    report = json.loads(j.read_text())
    jsonschema.validate(report, SCHEMA)
    assert report["config"]["estimator"] == "precomputed" and report["input"]["samples"] == 0
    assert any(w.startswith("no interval is available for precomputed directions") for w in report["warnings"])
    assert "no interval is available" in out
    for row, cos in zip(report["layers"], pl.cos, strict=False):
        got = [c["cos"]["value"] for c in row["capabilities"]]
        assert got == pytest.approx(list(cos), abs=1e-10)
        assert all(c["cos"]["ci"] is None and c["source"] == "precomputed" for c in row["capabilities"])
    # Mixed: a labelled safety direction against precomputed capabilities is cross-fitted; the warning says the
    # intervals hold the labelled directions' sampling only.
    mixed = {**{k: v for k, v in syn.arrays().items() if not k.startswith("capability_")},
             **{f"direction_{c}": pl.capabilities[:, :, i] for i, c in enumerate(pl.names)}}
    rep = ME.measure(ME.validate_arrays(mixed))
    assert rep["config"]["estimator"] == "cross-fit"
    assert any("precomputed directions (capability_persuasion" in w for w in rep["warnings"])
    for row, cos in zip(rep["layers"], pl.cos, strict=False):
        c = row["capabilities"][0]
        assert c["cos"]["ci"][0] <= cos[0] <= c["cos"]["ci"][1]


def test_precomputed_and_labels_for_one_name_or_bad_shapes_exit_2(tmp_path: Path, capsys) -> None:
    pl = _syn().planted
    err = _bad(tmp_path, capsys, direction_code=pl.capabilities[:, :, 2])
    assert "'capability_code' is given both as labels and as a precomputed direction" in err
    err = _bad(tmp_path, capsys, direction_extra=pl.capabilities[0, :, 2])
    assert "direction_extra has shape (32,); a precomputed direction must be (3, 32)" in err
    err = _bad(tmp_path, capsys, direction_extra=np.zeros((3, 32)))
    assert "direction_extra is zero at layer 0" in err


def test_readout_directions_flag_a_sign_that_differs_from_encoding(tmp_path: Path) -> None:
    # Anisotropic noise along the capability's encoding direction tilts the readout: with a large variance along
    # a direction u that both safety's and the capability's encoding directions lean on, Sigma^{-1} removes u from
    # both, and <v*, c> changes sign.
    rng = np.random.default_rng(3)
    d, n = 12, 4000
    e = np.eye(d)
    u = e[2]
    v = (e[0] + u) / np.sqrt(2)
    c = (e[1] + u) / np.sqrt(2)                     # encoding cos +0.5
    ys, yc = rng.integers(0, 2, n), rng.integers(0, 2, n)
    # the safe class also moves against e[1]: readout of safety leans on -e[1] once u is discounted
    x = (2 * np.outer(ys - 0.5, v - 0.3 * e[1]) + 2 * np.outer(yc - 0.5, c) + rng.standard_normal((n, d))
         + 5 * np.outer(rng.standard_normal(n), u))
    arrays = {"acts": x[None].astype(np.float64), "safety": ys.astype(np.int8), "capability_c": yc.astype(np.int8)}
    enc = ME.measure(ME.validate_arrays(arrays))
    rd = ME.measure(ME.validate_arrays(arrays), ME.MeasureConfig(direction="readout"))
    ce, cr = enc["layers"][0]["capabilities"][0], rd["layers"][0]["capabilities"][0]
    assert enc["config"]["direction"] == "encoding" and rd["config"]["direction"] == "readout (Ledoit-Wolf)"
    assert ce["encoding_cos"] is None and cr["encoding_cos"] == pytest.approx(ce["cos"]["value"], abs=1e-9)
    assert ce["cos"]["value"] > 0 > cr["cos"]["value"] and cr["sign_differs_from_encoding"] is True
    assert any("different sign for the readout and the encoding directions: c (layers 0)" in w for w in rd["warnings"])
    plug = ME.measure(ME.validate_arrays(arrays), ME.MeasureConfig(direction="readout", estimator="plug-in"))
    assert plug["layers"][0]["capabilities"][0]["sign_differs_from_encoding"] is True


def test_csv_has_one_row_per_layer_and_capability(tmp_path: Path) -> None:
    import csv

    src = _write(tmp_path)
    out = tmp_path / "t.csv"
    assert main(["measure", str(src), "--csv", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    syn = _syn()
    assert len(rows) == 3 * len(syn.planted.names)
    assert [r["capability"] for r in rows[:len(syn.planted.names)]] == list(syn.planted.names)
    r = rows[0]
    assert float(r["cos_lo"]) <= float(r["cos"]) <= float(r["cos_hi"]) and r["estimator"] == "cross-fit"
    assert main(["measure", str(src), "--csv", str(tmp_path / "no" / "t.csv")]) == 2


def test_the_overlap_interval_is_the_u_statistic_one_on_twenty_folds(monkeypatch) -> None:
    """<v*, c_i>'s interval is ``crossfit.cos_interval`` (the fold jackknife overstates the pairs of folds' share of
    the variance once d is of the order of n: bench/bench_measure_coverage.py), tau_i's is its square, and the
    default is 20 folds."""
    from paper_checks import measure_estimate as MEst
    from verify import crossfit as CF
    seen = []
    real = CF.cos_interval

    def spy(blocks, q, level=0.95):
        seen.append((blocks.folds, real(blocks, q, level)))
        return seen[-1][1]

    monkeypatch.setattr(CF, "cos_interval", spy)
    est = MEst.estimate(ME.validate_arrays(_syn().arrays()), ME.MeasureConfig())
    [(folds, (lo, hi))] = seen
    assert folds == 20 and est.intervals == "20-fold U-statistic"
    assert np.array_equal(est.ci["cos"][0], np.clip(lo, -1, 1)) and np.array_equal(est.ci["cos"][1], np.clip(hi, -1, 1))
    for a, b in zip(est.ci["tau_i"], CF.signed_to_square(*est.ci["cos"]), strict=True):
        assert np.array_equal(a, b)


def test_fewer_folds_than_measured_warn_that_the_interval_is_conservative() -> None:
    arrays = ME.validate_arrays(_syn().arrays())
    few = ME.measure(arrays, ME.MeasureConfig(folds=5))
    assert any(w.startswith("folds = 5: the interval of <v*, c_i> has few degrees of freedom") for w in few["warnings"])
    for cfg in (ME.MeasureConfig(), ME.MeasureConfig(folds=5, intervals=False)):
        assert not any(w.startswith("folds = ") for w in ME.measure(arrays, cfg)["warnings"])
