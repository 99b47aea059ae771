"""Build own_segments.csv from the hand-written batch files in raw/.

Each raw file is named LANG_NN.txt. Every non-empty line that does not start
with '#' is one chat segment written as `kind<TAB>text`. The label follows from
the kind (grooming -> 1, everything else -> 0). Run after each batch:

    python training/grooming/build.py          # rebuild the CSV
    python training/grooming/build.py --check  # rebuild and print the summary
"""
import collections
import csv
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
RAW = HERE / "raw"
OUT = HERE / "own_segments.csv"
KINDS = {"grooming": 1, "adult_sexual": 0, "adult_chat": 0, "teen_peers": 0,
         "family_trusted": 0, "safety_talk": 0, "random_strangers": 0}
LANGS = {"en", "es", "vi", "zh"}


def size(text, lang):
    if lang == "zh":
        return int(len([c for c in text if not c.isspace()]) / 1.5)  # ~1.5 characters per word
    return len(text.split())


def load():
    rows, seen, problems = [], set(), []
    for path in sorted(RAW.glob("*.txt")):
        lang = path.name.split("_")[0]
        assert lang in LANGS, path
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            kind, _, text = line.partition("\t")
            kind, text = kind.strip(), " ".join(text.split())
            where = f"{path.name}:{n}"
            if kind not in KINDS:
                problems.append(f"{where}: unknown kind {kind!r}")
                continue
            if not text:
                problems.append(f"{where}: empty text")
                continue
            if text.lower() in seen:
                problems.append(f"{where}: duplicate text")
                continue
            w = size(text, lang)
            if w < 30 or w > 260:
                problems.append(f"{where}: length {w} out of range")
            seen.add(text.lower())
            rows.append({"text": text, "label": KINDS[kind], "lang": lang, "kind": kind})
    return rows, problems


def main():
    rows, problems = load()
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["text", "label", "lang", "kind"])
        w.writeheader()
        w.writerows(rows)
    for p in problems:
        print("WARN", p)
    print(f"wrote {len(rows)} rows to {OUT.name}")
    if "--check" in sys.argv:
        check()


def check():
    with OUT.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert all(r["text"].strip() for r in rows), "empty text"
    texts = [r["text"] for r in rows]
    assert len(texts) == len(set(texts)), "exact duplicates"
    print("rows:", len(rows))
    print("by label:", dict(sorted(collections.Counter(r["label"] for r in rows).items())))
    by_lang = collections.Counter(r["lang"] for r in rows)
    for lang in sorted(by_lang):
        pos = sum(1 for r in rows if r["lang"] == lang and r["label"] == "1")
        print(f"  {lang}: {by_lang[lang]} rows, {pos} label 1 ({pos / by_lang[lang]:.0%})")
    kinds = collections.Counter((r["lang"], r["kind"]) for r in rows)
    print("by kind:", dict(sorted(collections.Counter(r["kind"] for r in rows).items())))
    for lang in sorted(by_lang):
        print(f"  {lang}:", {k: c for (l, k), c in sorted(kinds.items()) if l == lang})
    neg = [r for r in rows if r["label"] == "0"]
    if neg:
        share = collections.Counter(r["kind"] for r in neg)
        print("label-0 shares:", {k: f"{c / len(neg):.0%}" for k, c in sorted(share.items())})
    words = sorted(len(r["text"].split()) for r in rows if r["lang"] != "zh")
    if words:
        print(f"words (non-zh): min {words[0]} median {words[len(words) // 2]} max {words[-1]}")


if __name__ == "__main__":
    main()
