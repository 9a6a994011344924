"""The [screenplay] settings of fabula.toml turned into layout and PDF options."""

from __future__ import annotations

from pathlib import Path

from toolkit.config import ScreenplayConfig
from toolkit.render.screenplay_pdf import PdfOptions
from toolkit.resolve import layout_options


def pdf_options(settings: ScreenplayConfig, font: Path | None = None) -> PdfOptions:
    return PdfOptions(
        layout=layout_options(settings),
        font=font,
        watermark=settings.watermark,
        header=settings.header,
        footer=settings.footer,
        stamp=settings.stamp,
        stamp_pages=settings.stamp_pages,
    )
