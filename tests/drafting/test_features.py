"""The recogniser's word features: Arabic normalisation, clitic-stripped stems, stable hashes."""

from __future__ import annotations

from kg.drafting.features import FEATURES, normalise, strip_clitics, word_features


def test_spelling_variants_of_one_name_share_their_features():
    assert normalise("أسامة") == normalise("اسامه") == normalise("إسامة")
    assert normalise("مُصطَفى") == normalise("مصطفي")
    assert normalise("عـبـد") == "عبد"  # tatweel
    assert normalise("٢٠١٦") == normalise("2016") == "0000"
    assert normalise("Haftar") == "haftar"
    assert word_features("أسامة") == word_features("اسامه")


def test_clitics_are_stripped_from_the_stem_only_with_the_article():
    assert strip_clitics("والعراق") == ("وال", "عراق")
    assert strip_clitics("بالقاهرة") == ("بال", "القاهرة"[2:])
    assert strip_clitics("للامم") == ("لل", "امم")
    assert strip_clitics("واشنطن") == ("", "واشنطن")  # a bare و may be the name's own letter
    assert strip_clitics("ال") == ("", "ال")  # too short to strip
    stems = {word_features(w)[FEATURES.index("stem")] for w in ("العراق", "والعراق", "بالعراق", "للعراق")}
    assert len(stems) == 1


def test_feature_hashes_are_stable_across_processes():
    import subprocess
    import sys

    here = word_features("بنغازي")
    code = "from kg.drafting.features import word_features; print(word_features('بنغازي'))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert other.strip() == str(here) and len(here) == len(FEATURES)
