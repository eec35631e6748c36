"""``alignment-tax extract`` then ``measure`` on a tiny randomly initialised GPT-2 built from a config (offline)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from paper_checks.cli import main

pytest.importorskip("torch", reason="torch is in the optional extra 'models' (pip install -e '.[models]')")
pytest.importorskip("transformers", reason="transformers is in the optional extra 'models'")

WORDS = ["the", "a", "safe", "harm", "math", "poem", "sum", "verse", "please", "now", "then", "it"]


def _tiny_model(path: Path) -> Path:
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    vocab = {w: i for i, w in enumerate(["[UNK]", "[PAD]", "[EOS]"] + WORDS)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", eos_token="[EOS]")
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(vocab), n_positions=32, n_embd=48, n_layer=2, n_head=2))
    model.save_pretrained(path)
    fast.save_pretrained(path)
    return path


def _prompts(path: Path, n: int = 120) -> Path:
    rng = np.random.default_rng(0)
    lines = []
    for i in range(n):
        safe, math = i % 2, (i // 2) % 2
        words = list(rng.choice(["the", "a", "please", "now", "then", "it"], size=3))
        words += ["safe" if safe else "harm", "math" if math else "poem", rng.choice(["sum", "verse"])]
        rng.shuffle(words)
        row = {"text": " ".join(words), "safety": safe, "capability_math": math}
        if i % 7 == 0:
            row["capability_math"] = None                                   # not labelled on this prompt
        lines.append(json.dumps(row))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return _tiny_model(tmp_path_factory.mktemp("gpt2-tiny"))


def test_extract_then_measure_on_a_tiny_random_gpt2(tmp_path: Path, capsys, monkeypatch, tiny_model: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = tiny_model
    capsys.readouterr()
    prompts = _prompts(tmp_path / "prompts.jsonl")
    out = tmp_path / "acts.npz"
    assert main(["extract", str(model), str(prompts), str(out), "--layers", "0,-1", "--batch-size", "16"]) == 0
    assert "acts (2, 120, 48)" in capsys.readouterr().out
    with np.load(out) as z:
        assert z["acts"].dtype == np.float32 and z["acts"].shape == (2, 120, 48)
        assert list(z["layer_names"]) == ["hidden_states.0", "hidden_states.2"] and int(z["token_position"]) == -1
        assert (z["capability_math"] == -1).sum() == len(range(0, 120, 7)) and set(np.unique(z["safety"])) == {0, 1}
    j = tmp_path / "r.json"
    assert main(["measure", str(out), "--folds", "5", "--json", str(j)]) == 0
    report = json.loads(j.read_text())
    assert report["input"]["dimension"] == 48 and [r["layer_name"] for r in report["layers"]] == \
        ["hidden_states.0", "hidden_states.2"]
    # Padding is ignored: the last token of a prompt is the same with any batch size.
    out1 = tmp_path / "one.npz"
    assert main(["extract", str(model), str(prompts), str(out1), "--layers", "-1", "--batch-size", "1"]) == 0
    with np.load(out) as a, np.load(out1) as b:
        assert np.allclose(a["acts"][1], b["acts"][0], atol=1e-5)


def test_extract_bad_input_is_one_line(tmp_path: Path, capsys, monkeypatch, tiny_model: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    prompts = _prompts(tmp_path / "p.jsonl", 20)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "safety": 2}\n')
    model = tiny_model
    capsys.readouterr()
    cases = [([str(model), str(bad)], "line 1: safety = 2; a label is 1, 0, -1 or null"),
             ([str(tmp_path / "nothing"), str(prompts)], "could not be loaded"),
             ([str(model), str(prompts), "--layers", "9"], "--layers '9': 9 is out of range"),
             ([str(model), str(prompts), "--position", "first"], "--position 'first' must be 'last' or an integer")]
    for args, msg in cases:
        assert main(["extract", *args[:2], str(tmp_path / "o.npz"), *args[2:]]) == 2
        err = capsys.readouterr().err
        assert err.startswith("alignment-tax: error: ") and err.count("\n") == 1 and msg in err, err
    assert os.environ["HF_HUB_OFFLINE"] == "1"
