"""`python -m bench.synth`: write synthetic articles as JSON lines, or measure the vocabulary.

python -m bench.synth 1000 [--seed S] > articles.jsonl
python -m bench.synth --vocabulary 5000 20000 200000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

from bench.synth import generate_articles
from bench.synth.vocabulary import growth


def _print_growth(sizes: list[int], seed: int) -> None:
    print(f"{'articles':>10} {'distinct terms':>15} {'Heaps β since last':>19} {'seconds':>8}")
    started, last = time.monotonic(), None
    for n, terms in growth(sorted(set(sizes)), seed=seed):
        beta = "" if last is None else f"{math.log(terms / last[1]) / math.log(n / last[0]):.2f}"
        print(f"{n:>10,} {terms:>15,} {beta:>19} {time.monotonic() - started:>8.0f}", flush=True)
        last = (n, terms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth",
        description=sys.modules["bench.synth"].__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("n", type=int, nargs="?", help="how many articles to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--vocabulary",
        type=int,
        nargs="+",
        metavar="SIZE",
        help="print the distinct analysed terms of the first SIZE articles, for each SIZE",
    )
    args = parser.parse_args(argv)
    if args.vocabulary:
        if min(args.vocabulary) < 1:
            parser.error("--vocabulary sizes must be positive")
        _print_growth(args.vocabulary, args.seed)
        return 0
    if args.n is None or args.n < 0:
        parser.error("say how many articles to write (N >= 0), or --vocabulary SIZE …")
    try:
        for article in generate_articles(args.n, args.seed):
            sys.stdout.write(json.dumps(article, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
