"""``alignment-tax extract``: a causal language model's hidden states per layer at one token, as ``measure``'s input.

``alignment-tax extract MODEL PROMPTS.jsonl OUT.npz [--layers 0,6,-1] [--position last] [--batch-size 8]``
runs MODEL (a local directory or a hub name; ``HF_HUB_OFFLINE=1`` keeps it off the network) on every
prompt with ``output_hidden_states=True`` and keeps, for each chosen layer, the hidden state at the chosen
token: ``acts`` (layers, n, d) float32.  ``hidden_states[0]`` is the embedding output and
``hidden_states[i]`` the output of block i; ``--layers`` indexes that tuple (negative from the end; default
all).  ``--position last`` takes each prompt's last token (padding ignored); an integer p takes token p of
the prompt (negative from its end).

PROMPTS.jsonl: one JSON object a line, ``{"text": "...", "safety": 1, "capability_math": 0}``: ``text``
the prompt, every other key a label array of the ``.npz`` (``safety``, ``capability_NAME``,
``safety_NAME``) with value 1 (positive), 0 (negative) or -1 / null (not labelled); a key absent from a
line is -1 there.  The ``.npz`` also records ``layer_names`` (``hidden_states.i``) and ``token_position``.

torch and transformers are the optional extra ``models`` (``pip install -e ".[models]"``); they are
imported only when this command runs.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from collections.abc import Sequence

import numpy as np

from paper_checks.paths import output_file
from verify.validate import InputError

__all__ = ["read_prompts", "hidden_states", "run", "add_parser", "command"]

_LABEL_PREFIXES = ("capability_", "safety_")


def read_prompts(path: Path) -> tuple[list[str], dict[str, np.ndarray]]:
    """The prompts and their label arrays (int8, -1 where a line does not label a key); errors name the line."""
    if not path.is_file():
        raise InputError(f"PROMPTS {str(path)!r} does not exist or is not a file.")
    texts: list[str] = []
    rows: list[dict[str, int]] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"PROMPTS {str(path)!r} line {i}: not JSON ({exc.msg}); each line is one object "
                             f'like {{"text": "...", "safety": 1}}.') from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"]:
            raise InputError(f"PROMPTS {str(path)!r} line {i}: needs a non-empty string 'text'; got {line[:60]!r}.")
        row = {}
        for k, v in obj.items():
            if k == "text":
                continue
            if k != "safety" and not (k.startswith(_LABEL_PREFIXES) and len(k) > len("safety_")):
                raise InputError(f"PROMPTS {str(path)!r} line {i}: key {k!r} is not a label; use safety, "
                                 f"capability_NAME or safety_NAME.")
            if v is None:
                v = -1
            if isinstance(v, bool) or v not in (1, 0, -1):
                raise InputError(f"PROMPTS {str(path)!r} line {i}: {k} = {v!r}; a label is 1, 0, -1 or null.")
            row[k] = int(v)
        texts.append(obj["text"])
        rows.append(row)
    if not texts:
        raise InputError(f"PROMPTS {str(path)!r} holds no prompt.")
    keys = sorted({k for r in rows for k in r}, key=lambda k: (k != "safety", not k.startswith("capability_"), k))
    if "safety" not in keys:
        raise InputError(f"PROMPTS {str(path)!r}: no line has a 'safety' label; measure needs one.")
    labels = {k: np.array([r.get(k, -1) for r in rows], dtype=np.int8) for k in keys}
    return texts, labels


def _layer_indices(spec: str | None, available: int) -> list[int]:
    if spec is None:
        return list(range(available))
    out = []
    for part in spec.split(","):
        try:
            i = int(part)
        except ValueError:
            raise InputError(f"--layers {spec!r} must be comma-separated integers (e.g. 0,6,-1).") from None
        if not -available <= i < available:
            raise InputError(f"--layers {spec!r}: {i} is out of range; the model has {available} hidden states "
                             f"(0 = embeddings, 1..{available - 1} = blocks).")
        out.append(i % available)
    return out


def _position(spec: str) -> int | None:
    """None for ``last``, else the token index."""
    if spec == "last":
        return None
    try:
        return int(spec)
    except ValueError:
        raise InputError(f"--position {spec!r} must be 'last' or an integer token index.") from None


def hidden_states(model: Any, tokenizer: Any, texts: Sequence[str], layers: str | None, position: str,
                  batch_size: int = 8) -> tuple[np.ndarray, list[str]]:
    """``acts`` (layers, n, d) float32 at the chosen token of each prompt, and the layer names."""
    import torch

    pos = _position(position)
    if tokenizer.pad_token is None:                     # GPT-2 has none; padding is masked out anyway
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    tokenizer.padding_side = "right"
    chosen: list[int] | None = None
    out: list[np.ndarray] = []
    model.eval()
    with torch.no_grad():
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start:start + batch_size])
            enc = tokenizer(batch, return_tensors="pt", padding=True)
            hs = model(**enc, output_hidden_states=True).hidden_states
            if chosen is None:
                chosen = _layer_indices(layers, len(hs))
            lengths = enc["attention_mask"].sum(dim=1)
            if pos is None:
                idx = lengths - 1
            else:
                idx = torch.where(torch.tensor(pos) >= 0, torch.tensor(pos), lengths + pos)
                bad = (idx < 0) | (idx >= lengths)
                if bool(bad.any()):
                    j = int(torch.nonzero(bad)[0])
                    raise InputError(f"--position {position}: prompt {start + j + 1} has {int(lengths[j])} tokens.")
            rows = torch.arange(len(batch))
            out.append(np.stack([hs[i][rows, idx].float().numpy() for i in chosen]))
    return np.concatenate(out, axis=1).astype(np.float32), [f"hidden_states.{i}" for i in chosen or []]


def run(model_name: str, prompts: Path, out: Path, layers: str | None, position: str, batch_size: int) -> Path:
    """Load the model and tokenizer, extract, write the ``.npz`` (uncompressed, so that ``measure`` maps it)."""
    output_file("OUT.npz", out)
    texts, labels = read_prompts(prompts)
    _position(position)
    try:
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError:
        raise InputError("extract needs torch and transformers: pip install -e \".[models]\" (the optional extra "
                         "'models').") from None
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()                 # the report is ours: no progress bars or notices on stderr
    hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_name)
        model = AutoModelForCausalLM.from_pretrained(model_name)
    except (OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"MODEL {model_name!r} could not be loaded: {first}") from None
    acts, names = hidden_states(model, tokenizer, texts, layers, position, batch_size)
    tok = -1 if position == "last" else int(position)
    np.savez(out, acts=acts, **labels, layer_names=np.array(names), token_position=np.array(tok))
    return out


def add_parser(sub: Any) -> None:
    """Register ``extract`` on the CLI's subparsers."""
    p = sub.add_parser("extract", help="hidden states per layer of a Hugging Face causal LM at one token, "
                       "as the measure input (.npz)", description=__doc__.split("\n\n")[1])
    p.add_argument("model", metavar="MODEL", help="a local model directory or a hub name")
    p.add_argument("prompts", type=Path, metavar="PROMPTS.jsonl")
    p.add_argument("out", type=Path, metavar="OUT.npz")
    p.add_argument("--layers", metavar="I,J,...", help="indices into hidden_states (0 = embeddings; default all)")
    p.add_argument("--position", default="last", help="'last' (default: each prompt's last token) or a token index")
    p.add_argument("--batch-size", type=int, default=8, metavar="N")


def command(args: argparse.Namespace) -> int:
    """Run ``extract``; bad input prints one line ``alignment-tax: error: ...`` and returns 2."""
    from verify.validate import AlignmentTaxError

    try:
        if args.batch_size < 1:
            raise InputError(f"--batch-size {args.batch_size!r} must be a positive integer.")
        path = run(args.model, args.prompts, args.out, args.layers, args.position, args.batch_size)
    except AlignmentTaxError as exc:
        print(f"alignment-tax: error: {exc}", file=sys.stderr)
        return 2
    with np.load(path) as z:
        shape = z["acts"].shape
        keys = [k for k in z.files if k not in ("acts", "layer_names", "token_position")]
    print(f"wrote {path}: acts {shape} float32 (layers, prompts, d); labels {', '.join(keys)}")
    return 0
