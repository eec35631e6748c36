"""The commands' output paths: checked before a run by writing there, refused with a message naming the option."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from paper_checks.paths import PathError, UsageError, output_directory, output_file


def test_output_paths_are_checked_by_writing(tmp_path) -> None:
    # One check for every command's output paths (the CLI's and measure's): a file is opened for append and a
    # directory gets a probe file, because os.access says yes to root where a write fails (/proc).
    assert output_file("--json", Path("-"), stdout=True) is None
    assert output_file("--json", tmp_path / "r.json") == tmp_path / "r.json" and not (tmp_path / "r.json").exists()
    for path, message in [(tmp_path, f"--json {str(tmp_path)!r} is a directory; give a file path."),
                          (tmp_path / "no" / "r.json", f"the directory {str(tmp_path / 'no')!r} does not exist."),
                          (Path("/proc/r.json"), "--json '/proc/r.json' cannot be written")]:
        with pytest.raises(PathError, match=re.escape(message)):
            output_file("--json", path)
    with pytest.raises(PathError, match=re.escape("(or '-' for stdout).")):
        output_file("--json", tmp_path, stdout=True)
    assert output_directory("--figures", tmp_path / "a" / "b").is_dir()
    (tmp_path / "f").touch()
    for path, message in [(tmp_path / "f", "is a file; give a directory."),
                          (Path("/proc/x"), "--figures '/proc/x' cannot be created"),
                          (Path("/proc"), "--figures '/proc' is not a writable directory")]:
        with pytest.raises(PathError, match=re.escape(message)):
            output_directory("--figures", path)
    with pytest.raises(PathError, match="does not exist"):
        output_directory("--figures", tmp_path / "c" / "d", parents=False)
    assert issubclass(PathError, UsageError) and issubclass(PathError, ValueError)


def test_the_cli_and_its_commands_check_paths_without_numpy() -> None:
    """The path checks live with the CLI, not among verify/'s numeric validators: no numpy to check a path, and the
    certificates command does not import the CLI."""
    code = ("import sys; import paper_checks.paths, paper_checks.cli, paper_checks.certificates; "
            "print(sorted(m for m in ('numpy', 'verify.validate') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"
    import paper_checks.certificates as certificates
    assert "paper_checks.cli" not in certificates.command.__code__.co_names + certificates.command.__code__.co_consts
