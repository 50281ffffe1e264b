"""Index statistics: `python -m index.stats` [--json] (see index.maintain.report)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from crawler.config import load_config
from index.commands import looked_in, run, say
from index.maintain.report import collect

PROG = "index.stats"


def _print_text(stats: dict[str, object]) -> None:
    lines = [
        f"index build      {stats['build']}",
        f"format           {stats['format']}",
        f"documents        {stats['documents']:,}",
        f"size on disk     {stats['bytes']:,} bytes ({stats['bytes_per_article']:,} per article)",
        f"last build       {stats['built_at']}",
        f"last update      {stats['updated_at'] or '-'}",
        f"watermark        {stats['watermark']} (archive {stats['archive_max_seq']}, "
        f"{stats['pending_changes']} changes pending)",
        "by section:",
    ]
    lines += [f"  {name:<20} {n:>9,}" for name, n in stats["by_section"].items()]  # type: ignore[attr-defined]
    lines.append("by year (NZ):")
    lines += [f"  {year:<20} {n:>9,}" for year, n in stats["by_year"].items()]  # type: ignore[attr-defined]
    print("\n".join(lines))  # noqa: T201 - the CLI's output


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.stats", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    config = load_config()

    def command() -> int:
        stats = collect(config.archive, config.index_dir)
        if stats is None:
            say(
                PROG,
                f"no index in {config.index_dir} {looked_in(config)}; build one with "
                "`python -m index.rebuild`",
            )
            return 2
        if args.json:
            print(json.dumps(stats, indent=1))  # noqa: T201
        else:
            _print_text(stats)
        return 0

    return run(PROG, config, command)


if __name__ == "__main__":
    sys.exit(main())
