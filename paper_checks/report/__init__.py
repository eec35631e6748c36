"""Report writers, one per format (SymPy's printer pattern): a thin public function over each."""
from paper_checks.report.html import build_html, html_report, write_html
from paper_checks.report.json_report import to_json, write_json
from paper_checks.report.jupyter import finding_html, finding_latex
from paper_checks.report.latex import latex_document, write_latex, write_pdf
from paper_checks.report.markdown import markdown_report, write_markdown
from paper_checks.report.table import print_table

__all__ = ["to_json", "write_json", "print_table", "markdown_report", "write_markdown", "latex_document",
           "write_latex", "write_pdf", "html_report", "write_html", "build_html", "finding_html", "finding_latex"]
