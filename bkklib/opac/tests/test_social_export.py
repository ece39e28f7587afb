"""Hashtags and the ready-to-paste Facebook/LINE text (pure rules, no database)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bkklib.opac import rules


def test_hashtags_keep_thai_vowels_and_tone_marks_inside_the_tag():
    assert rules.parse_hashtags("#อ่านเปลี่ยนโลก #ห้องสมุดกรุงเทพ, BookFest2025") == [
        "อ่านเปลี่ยนโลก", "ห้องสมุดกรุงเทพ", "BookFest2025"]


def test_hashtags_are_deduplicated_ignoring_case():
    assert rules.parse_hashtags("#Read #read #READ #อ่าน") == ["Read", "อ่าน"]


@pytest.mark.parametrize("bad", ["#ห้อง-สมุด", "#read!", "#📚", "#" + "ก" * 61])
def test_a_hashtag_with_punctuation_emoji_or_too_long_is_refused_by_name(bad):
    with pytest.raises(rules.HashtagError) as exc:
        rules.parse_hashtags(f"#ok {bad}")
    assert exc.value.tag == bad


def test_a_short_post_is_exported_whole_with_link_and_hashtags():
    out = rules.social_text(channel="line", title="เปิดโลกนิทาน", body="ชวนน้อง ๆ ฟังนิทาน\n\nวันเสาร์นี้",
                            url="https://lib.example/news/a/", hashtags=["เปิดโลกนิทาน", "ห้องสมุด"])
    assert out.text == ("เปิดโลกนิทาน\n\nชวนน้อง ๆ ฟังนิทาน\n\nวันเสาร์นี้\n\nhttps://lib.example/news/a/"
                        "\n\n#เปิดโลกนิทาน #ห้องสมุด")
    assert not out.was_shortened and out.limit == 5000


def test_a_long_post_is_shortened_for_line_but_keeps_the_link_and_every_hashtag():
    body = ("ห้องสมุดเปิดให้บริการ " * 600).strip()
    out = rules.social_text(channel="line", title="ข่าว", body=body, url="https://lib.example/news/b/",
                            hashtags=["ห้องสมุด", "อ่าน"])
    assert out.was_shortened and out.length <= 5000
    assert out.text.endswith("https://lib.example/news/b/\n\n#ห้องสมุด #อ่าน")
    assert "…" in out.text
    facebook = rules.social_text(channel="facebook", title="ข่าว", body=body, url="u", hashtags=[])
    assert not facebook.was_shortened


@given(title=st.text(max_size=300), body=st.text(max_size=12000), tags=st.lists(
    st.text(alphabet="กขคabc_1", min_size=1, max_size=20), max_size=10))
def test_an_export_never_exceeds_its_limit_and_always_ends_with_link_and_tags(title, body, tags):
    out = rules.social_text(channel="line", title=title, body=body, url="https://x.example/n/", hashtags=tags)
    assert out.length <= 5000
    tail = "https://x.example/n/" + ("\n\n" + " ".join(f"#{t}" for t in tags) if tags else "")
    assert out.text.endswith(tail)


def test_distance_between_two_bangkok_points():
    # Bangkok City Library to Victory Monument: about 3.2 km as the crow flies.
    assert 2.9 < rules.distance_km(13.7569, 100.5018, 13.7649, 100.5383) < 4.2
