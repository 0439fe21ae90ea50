"""The HTML report: a folder of static pages built from the store alone (see render.py)."""

from blocwatch.report.render import ReportError, render_report

__all__ = ["ReportError", "render_report"]
