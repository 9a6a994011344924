"""The [screenplay] settings of fabula.toml turned into layout and PDF options."""

from __future__ import annotations

from pathlib import Path

from toolkit.config import ScreenplayConfig
from toolkit.layout import LayoutOptions
from toolkit.render.screenplay_pdf import PdfOptions


def pdf_options(settings: ScreenplayConfig, font: Path | None = None) -> PdfOptions:
    layout = LayoutOptions(
        contd=settings.contd,
        notes=settings.notes,
        scene_numbers=settings.scene_numbers,
        heading_space=settings.heading_space,
    )
    return PdfOptions(
        layout=layout,
        font=font,
        watermark=settings.watermark,
        header=settings.header,
        footer=settings.footer,
        stamp=settings.stamp,
        stamp_pages=settings.stamp_pages,
    )
