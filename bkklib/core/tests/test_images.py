"""core.images: photos checked, turned upright, shrunk, location kept as data, EXIF not published."""
import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bkklib.core import images


def jpeg(size=(3000, 2000), exif=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG", exif=exif or Image.Exif())
    return out.getvalue()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    gps = exif.get_ifd(images.GPS_IFD)
    gps.update({1: "N", 2: (13.0, 45.0, 36.0), 3: "E", 4: (100.0, 30.0, 0.0)})
    exif.get_ifd(images.EXIF_IFD)[0x9003] = "2026:12:05 09:30:00"
    exif[0x0112] = 6  # orientation: rotated 90°
    return exif


def test_photo_is_shrunk_upright_and_keeps_its_location():
    photo = images.prepare_photo(SimpleUploadedFile("ramp.JPG", jpeg(exif=gps_exif())), max_side=1600)
    assert (photo.width, photo.height) == (1067, 1600)  # turned upright by the orientation tag, then shrunk
    assert photo.latitude == pytest.approx(13.76) and photo.longitude == pytest.approx(100.5)
    assert photo.taken_at == datetime(2026, 12, 5, 9, 30)
    saved = Image.open(io.BytesIO(photo.content.read()))
    assert saved.format == "JPEG" and not saved.getexif().get_ifd(images.GPS_IFD)
    assert photo.content.name == "ramp.jpg"


def test_png_with_transparency_stays_png():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG")
    photo = images.prepare_photo(SimpleUploadedFile("logo.png", out.getvalue()))
    assert photo.content.name == "logo.png" and photo.latitude is None


@pytest.mark.parametrize("name,content,words", [
    ("report.pdf", b"%PDF-1.4 not an image", "not a photo"),
    ("empty.jpg", b"", "empty"),
    ("cut.jpg", jpeg()[:200], "not a photo"),
])
def test_non_images_are_refused_by_name(name, content, words):
    with pytest.raises(images.PhotoRefused) as refused:
        images.prepare_photo(SimpleUploadedFile(name, content))
    assert name in refused.value.text


def test_gif_and_oversized_files_are_refused():
    out = io.BytesIO()
    Image.new("P", (5, 5)).save(out, "GIF")
    with pytest.raises(images.PhotoRefused, match="GIF"):
        images.prepare_photo(SimpleUploadedFile("a.gif", out.getvalue()))
    with pytest.raises(images.PhotoRefused, match="big.jpg"):
        images.prepare_photo(SimpleUploadedFile("big.jpg", jpeg((50, 50))), max_bytes=100)


def test_form_field_cleans_to_a_photo():
    field = images.PhotoField(required=False)
    assert field.clean(None) is None
    photo = field.clean(SimpleUploadedFile("a.jpg", jpeg((100, 80))))
    assert isinstance(photo, images.Photo) and photo.width == 100
    from django import forms
    with pytest.raises(forms.ValidationError):
        field.clean(SimpleUploadedFile("a.jpg", b"nope"))
