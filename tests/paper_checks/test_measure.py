"""``alignment-tax measure``: the report on the synthetic fixture, its JSON contract, determinism, and bad input (exit 2)."""
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


@functools.lru_cache(maxsize=None)
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
    for row, cos in zip(report["layers"], syn.planted.cos):
        caps = {c["name"]: c for c in row["capabilities"]}
        assert row["ranked_by_predicted_cost"] == sorted(caps, key=lambda n: caps[n]["cos"]["value"])
        for name, planted in zip(syn.planted.names, cos):
            c = caps[name]
            assert c["predicted_effect"] == ("degrade" if c["cos"]["value"] < 0 else "improve")
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
    assert main(["measure", str(src), "--bootstrap", "0", "--figures", str(figs), "--json", str(j)]) == 0
    names = sorted(p.name for p in figs.iterdir())
    assert names == [f"frontier_layer_{i:02d}.png" for i in range(3)]
    report = json.loads(j.read_text())
    assert [row["figure"] for row in report["layers"]] == names
    assert report["layers"][0]["tau"]["ci"] is None                    # no bootstrap, no CI


def test_logistic_probe_is_not_bootstrapped(tmp_path: Path) -> None:
    src = _write(tmp_path)
    j = tmp_path / "r.json"
    assert main(["measure", str(src), "--probe", "logistic", "--json", str(j)]) == 0
    report = json.loads(j.read_text())
    assert report["config"]["probe"] == "logistic" and report["config"]["bootstrap"] == 0


def _bad(tmp_path: Path, capsys, **changes) -> str:
    src = _write(tmp_path, **changes)
    assert main(["measure", str(src), "--bootstrap", "0"]) == 2
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
    assert "unknown key(s) 'capabilty_typo'" in _bad(tmp_path, capsys, capabilty_typo=dup)
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
    assert report["schema"] == "alignment-tax-measure/1"


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
    err = _bad(tmp_path, capsys, acts=acts, safety=safety)
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
    assert f"error: safety {where} lies in the span of capability_copy (distance^2 0.0e+00; cos with " \
           f"capability_copy +1.000000): safety must have a component outside the span of the capability " \
           f"directions (tau < 1)" in err
    flipped = np.where(safety == -1, -1, 1 - safety).astype(np.int8)
    assert "cos with capability_flipped -1.000000): safety must have" in _bad(tmp_path, capsys, capability_flipped=flipped)
    err = _bad(tmp_path, capsys, safety_copy=safety)
    assert f"error: safety_copy {where} lies in the span of safety (distance^2 0.0e+00; cos with safety +1.000000): " \
           f"safety_copy must have a component outside the span of the capability directions and the safety " \
           f"directions before it" in err


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_unwritable_figure_directory_is_refused_before_the_run(tmp_path: Path, capsys) -> None:
    # /proc exists and os.access says root may write there; only a file created there shows that it cannot.
    src = _write(tmp_path)
    assert main(["measure", str(src), "--bootstrap", "0", "--figures", "/proc"]) == 2
    err = capsys.readouterr()
    assert err.out == "" and err.err.count("\n") == 1
    assert err.err.startswith("alignment-tax: error: --figures '/proc' is not a writable directory")
