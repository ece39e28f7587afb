"""The one normaliser and segmenter shared by indexing and querying."""
import pytest

from bkklib.search import text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\u0e19\u0e4d\u0e49\u0e32", "น้ำ"),  # sara am typed as nikhahit + tone + sara aa
        ("\u0e19\u0e49\u0e4d\u0e32", "น้ำ"),  # tone, nikhahit, sara aa
        ("\u0e19\u0e33\u0e49", "น้ำ"),  # tone mark typed after sara am
        ("\u0e17\u0e48\u0e35", "ที่"),  # tone mark typed before the above vowel
        ("\u0e17\u0e35\u0e48\u0e48", "ที่"),  # tone mark typed twice
        ("\u0e40\u0e40\u0e21\u0e27", "แมว"),  # sara e twice for sara ae
        ("ข้าง\u200bหลัง\u200dภาพ\ufeff", "ข้างหลังภาพ"),  # zero-width characters
        ("พ.ศ. ๒๕๖๕", "พ.ศ. 2565"),  # Thai digits
        ("HARRY Potter", "harry potter"),
        ("Café ÉCOLE naïve", "cafe ecole naive"),
        ("ก๋วยเตี๋ยว", "ก๋วยเตี๋ยว"),  # already canonical marks stay as they are
    ],
)
def test_variants_people_type_normalise_to_one_form(typed, stored):
    assert text.normalise(typed) == stored


def test_thai_words_with_above_and_below_marks_stay_whole():
    # The default unicode61 tokenizer would cut these at every mark (docs/architecture.md, Search).
    assert text.words("น้ำพริก ผู้ใหญ่ ปู่ย่า ก๊ก") == ["น้ำ", "พริก", "ผู้ใหญ่", "ปู่ย่า", "ก๊ก"]


def test_thai_runs_are_segmented_and_latin_runs_split_on_word_boundaries():
    assert text.runs(text.normalise("แฮร์รี่ พอตเตอร์กับศิลาอาถรรพ์ e-book ภาษาPython")) == [
        ["แฮร์", "รี่"], ["พอต", "เตอร์", "กับ", "ศิลา", "อาถรรพ์"], ["e"], ["book"], ["ภาษา"], ["python"],
    ]


def test_abbreviation_and_repetition_marks_end_a_word():
    assert text.words("กรุงเทพฯ เด็กๆ") == ["กรุงเทพ", "เด็ก"]


def test_a_word_the_segmenter_keeps_whole_is_cut_into_words_of_the_word_list():
    # ICU keeps "ภูเขาทอง" (a place) whole; readers type "ภูเขา" or "ทอง".
    assert text.words("นิราศภูเขาทอง") == ["นิราศ", "ภูเขา", "ทอง"]
    # A word of the word list is never cut ("สามารถ" is not "สา มา รถ").
    assert text.words("สามารถ") == ["สามารถ"]


def test_compounds_join_neighbouring_thai_words_only():
    word_runs = text.runs(text.normalise("ลุงบุญมีระลึกชาติ harry potter"))

    assert text.compounds(word_runs) == ["ลุงบุญ", "บุญมี", "มีระลึก", "ระลึกชาติ"]


def test_thai_sort_keys_follow_the_dictionary_not_code_points():
    titles = ["ไก่", "เกม", "กา", "แมว", "โต๊ะ", "ใจ", "ขา", "ฉลาม"]

    assert sorted(titles, key=text.sort_key) == ["กา", "เกม", "ไก่", "ขา", "ใจ", "ฉลาม", "โต๊ะ", "แมว"]
