"""Report writers, one per format (SymPy's printer pattern): a thin public function over each."""
from paper_checks.report.json_report import to_json, write_json
from paper_checks.report.table import print_table

__all__ = ["to_json", "write_json", "print_table"]
