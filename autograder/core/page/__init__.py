"""The feedback page: one self-contained HTML file per submission (``html.page``)."""

from .html import AUDIENCES, page

__all__ = ["AUDIENCES", "page"]
