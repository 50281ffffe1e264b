"""Citation downloads of one article: /article/<id>.ris, .bib and .csl.json."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint

from web.articles import archived_or_404
from web.citation_formats import bibtex, csl_item, ris

bp = Blueprint("cite", __name__)


def _download(body: str, mimetype: str, filename: str) -> Any:
    return (
        body,
        200,
        {
            "Content-Type": f"{mimetype}; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


@bp.get("/article/<article_id>.ris")
def article_ris(article_id: str) -> Any:
    record = archived_or_404(article_id)
    return _download(ris(record), "application/x-research-info-systems", f"{article_id}.ris")


@bp.get("/article/<article_id>.bib")
def article_bib(article_id: str) -> Any:
    record = archived_or_404(article_id)
    return _download(bibtex(record), "application/x-bibtex", f"{article_id}.bib")


@bp.get("/article/<article_id>.csl.json")
def article_csl(article_id: str) -> Any:
    record = archived_or_404(article_id)
    body = json.dumps([csl_item(record)], ensure_ascii=False, indent=1)
    return _download(body, "application/vnd.citationstyles.csl+json", f"{article_id}.csl.json")
