"""Measure the Thai segmenter candidates (ICU via PyICU, newmm via nlpo3); print JSON figures.

For each configuration (ICU, newmm, each with and without bkklib's split of words the word list
does not know into two it does):
- speed in Thai characters per second over a title set (the hand-segmented gold titles of
  bkklib/search/tests/gold.py, and 5,000 synthetic titles of bench/search.py's generator);
- agreement with the hand segmentation: precision, recall and F1 of word boundaries, and the share
  of titles segmented exactly as by hand;
- search quality on an in-memory SQLite index of the gold titles plus distractors: the share of
  gold queries (exact titles, every hand word alone, every two-word run typed without a space)
  that find their title in the top 10, and exact titles found first.
Also how often ICU and newmm agree with each other.

    .venv/bin/python bench/thai_segmenters.py            (newmm uses bkklib/search/data/words_th.txt)
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ["DATABASE_URL"] = "sqlite:///:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")  # DEBUG off refuses to start without one

THAI_RUN = re.compile("[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]+")


def boundaries(words: list[str]) -> set[int]:
    out, pos = set(), 0
    for word in words[:-1]:
        pos += len(word)
        out.add(pos)
    return out


class NewmmSegmenter:
    """Segment Thai runs with newmm (maximal matching over a word list) via nlpo3's Rust core."""

    name = "newmm"

    def __init__(self, dictionary_path: str):
        import nlpo3  # a dev dependency: the product segments with ICU (bkklib.search.text)

        self._nlpo3 = nlpo3
        self._dict = f"bkklib-{abs(hash(dictionary_path))}"
        nlpo3.load_dict(dictionary_path, self._dict)

    def segment(self, run: str) -> list[str]:
        """Return the words of one Thai run."""
        return self._nlpo3.segment(run, self._dict, safe=True)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.search import Catalog
    from bkklib.search import index, text
    from bkklib.search.tests.gold import TITLES
    from bkklib.search.tests.test_thai_quality import gold_docs, gold_queries

    catalog = Catalog()
    synthetic = []
    while len(synthetic) < 5000:
        doc = catalog.document(len(synthetic) + 1)
        if doc.facets["language"] == ["tha"]:
            synthetic.append(doc.title)
    runs_gold = []
    for title, words, _author in TITLES:
        # Hand words of each Thai run (runs are separated by spaces/punctuation in the title).
        hand = [text.normalise(w) for w in words if THAI_RUN.fullmatch(text.normalise(w))]
        for run in THAI_RUN.findall(text.normalise(title)):
            covered, acc = "", []
            while hand and len(covered) < len(run) and run.startswith(covered + hand[0]):
                covered += hand[0]
                acc.append(hand.pop(0))
            if covered == run:
                runs_gold.append((run, acc))
    speed_text = [THAI_RUN.findall(text.normalise(t)) for t in synthetic] + [[r for r, _ in runs_gold]] * 20
    chars = sum(len(r) for runs in speed_text for r in runs)
    configs = [("icu", False), ("icu", True), ("newmm", False), ("newmm", True)]
    dictionary = str(Path(text.__file__).parent / "data" / "words_th.txt")
    out = {"gold_titles": len(TITLES), "gold_thai_runs": len(runs_gold), "speed_chars": chars, "configs": {}}
    segmented: dict[str, list[list[str]]] = {}
    text.dictionary()  # load the word list before any timing
    titles = [text.normalise(t) for t in synthetic] + [text.normalise(t) for t, _w, _a in TITLES] * 20
    for name, split in configs:
        label = name + ("+split" if split else "")
        text.use_segmenter(None if name == "icu" else NewmmSegmenter(dictionary))
        text.SPLIT_WORDS = split
        text.line_runs.cache_clear()
        text.segment_thai("ทดลองตัดคำ")  # create the segmenter's state before timing
        started = time.perf_counter()
        for runs in speed_text:
            for run in runs:
                text.segment_thai(run)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        for title in titles:  # the indexing path: whole titles, Thai and Latin runs
            text.runs(title)
        runs_seconds = time.perf_counter() - started
        tp = fp = fn = exact = 0
        for run, hand in runs_gold:
            got = text.segment_thai(run)
            b_got, b_hand = boundaries(got), boundaries(hand)
            tp += len(b_got & b_hand)
            fp += len(b_got - b_hand)
            fn += len(b_hand - b_got)
            exact += got == hand
        segmented[label] = [text.segment_thai(t) for runs in speed_text[:-20] for t in runs]
        index.rebuild(gold_docs())
        found = {"exact": [0, 0], "word": [0, 0], "pair": [0, 0]}
        first = 0
        for q, doc_id, kind in gold_queries():
            hits = [h.id for h in index.search(q, page_size=10).hits]
            found[kind][0] += doc_id in hits
            found[kind][1] += 1
            first += kind == "exact" and hits[:1] == [doc_id]
        precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        out["configs"][label] = {
            "thai_run_chars_per_s": round(chars / seconds),
            "title_chars_per_s_indexing_path": round(sum(map(len, titles)) / runs_seconds),
            "boundary_precision": round(precision, 3),
            "boundary_recall": round(recall, 3),
            "boundary_f1": round(2 * precision * recall / max(precision + recall, 1e-9), 3),
            "runs_exactly_as_by_hand": f"{exact}/{len(runs_gold)}",
            "top10_exact_titles": f"{found['exact'][0]}/{found['exact'][1]}",
            "exact_title_first": f"{first}/{found['exact'][1]}",
            "top10_single_words": f"{found['word'][0]}/{found['word'][1]}",
            "top10_two_word_runs": f"{found['pair'][0]}/{found['pair'][1]}",
        }
    a, b = segmented["icu"], segmented["newmm"]
    out["icu_newmm_same_segmentation"] = round(sum(x == y for x, y in zip(a, b, strict=True)) / len(a), 3)
    text.use_segmenter()
    text.SPLIT_WORDS = True
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
